package export

import (
	"slices"

	"handlingsplan/store"
)

var bodyTable = &table{
	name: "bodies",
	columns: slices.Concat([]column{
		{"key", typeKey}, {"name", typeText}, {"shortName", typeText}, {"kind", typeKey},
		{"orgNumber", typeKey}, {"municipalityNumber", typeKey}, {"countyNumber", typeKey},
		{"parentKey", typeKey}, {"parentName", typeText},
		{"responsibleForCount", typeInt}, {"participatesInCount", typeInt},
	}, metaColumns),
	params: []string{"kind", "parentKey", "countyNumber", "forumKey", "text"},
	rows:   bodyRows,
}

func bodyRows(v *view, p *params) ([]row, error) {
	f := store.BodyFilter{Kinds: enum(p, "kind", bodyKinds), ParentKey: p.bodyKey("parentKey"),
		CountyNumber: p.str("countyNumber"), ForumKey: p.forumKey("forumKey"), Text: p.str("text")}
	if n := f.CountyNumber; n != "" && (len(n) != 2 || n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9') {
		p.fail(badParam("countyNumber", "%q is not a county number (two digits, e.g. 03)", n))
	}
	if p.err != nil {
		return nil, p.err
	}
	keys, err := allKeys(func(a store.PageArgs) (store.Page, error) { return v.snap.FindBodies(f, a) })
	if err != nil {
		return nil, err
	}
	bodies, err := v.snap.BodiesByKeys(keys)
	if err != nil {
		return nil, err
	}
	ts, err := v.allTiltak()
	if err != nil {
		return nil, err
	}
	responsible, participates := map[string]int{}, map[string]int{}
	for _, t := range ts {
		responsible[t.ResponsibleKey]++
		for _, k := range t.ParticipantKeys {
			participates[k]++
		}
	}
	out := make([]row, 0, len(bodies))
	for _, b := range bodies {
		parent, _ := v.bodyName(b.ParentKey)
		out = append(out, slices.Concat(row{b.Key, b.Name, opt(b.ShortName), string(b.Kind),
			opt(b.OrgNumber), opt(b.MunicipalityNumber), opt(b.CountyNumber), opt(b.ParentKey), opt(parent),
			responsible[b.Key], participates[b.Key]}, meta(b.Meta)))
	}
	return out, nil
}

var initiativeTable = &table{
	name: "initiatives",
	columns: slices.Concat([]column{
		{"key", typeKey}, {"number", typeKey}, {"title", typeText},
		{"focusAreaKey", typeKey}, {"focusAreaName", typeText},
		{"lifeEventKeys", typeKeys}, {"lifeEventNames", typeTexts},
		{"ownerKey", typeKey}, {"ownerName", typeText},
		{"executingBodyKey", typeKey}, {"executingBodyName", typeText},
		{"governanceLevel", typeInt},
	}, rollupColumns, metaColumns),
	params: []string{"focusAreaKey", "lifeEventKey", "ownerKey", "executingBodyKey", "governanceLevel", "text"},
	rows:   initiativeRows,
}

func initiativeRows(v *view, p *params) ([]row, error) {
	f := store.InitiativeFilter{FocusAreaKey: p.focusAreaKey("focusAreaKey"), LifeEventKey: p.lifeEventKey("lifeEventKey"),
		OwnerKey: p.bodyKey("ownerKey"), ExecutingBodyKey: p.bodyKey("executingBodyKey"),
		GovernanceLevel: p.level("governanceLevel"), Text: p.str("text")}
	if p.err != nil {
		return nil, p.err
	}
	keys, err := allKeys(func(a store.PageArgs) (store.Page, error) { return v.snap.FindInitiatives(f, a) })
	if err != nil {
		return nil, err
	}
	ins, err := v.snap.InitiativesByKeys(keys)
	if err != nil {
		return nil, err
	}
	rollups, err := v.rollups()
	if err != nil {
		return nil, err
	}
	out := make([]row, 0, len(ins))
	for _, in := range ins {
		focusArea, _ := v.focusAreaName(in.FocusAreaKey)
		owner, _ := v.bodyName(in.OwnerKey)
		executing, _ := v.bodyName(in.ExecutingBodyKey)
		out = append(out, slices.Concat(row{in.Key, opt(in.Number), in.Title, in.FocusAreaKey, focusArea,
			in.LifeEventKeys, names(in.LifeEventKeys, v.lifeEventName),
			opt(in.OwnerKey), opt(owner), opt(in.ExecutingBodyKey), opt(executing), in.GovernanceLevel},
			rollupOf(rollups, "initiative/"+in.Key), meta(in.Meta)))
	}
	return out, nil
}

func rollupOf(rollups map[string]*rollup, key string) row {
	if r := rollups[key]; r != nil {
		return r.values()
	}
	return rollup{}.values()
}

var lifeEventTable = &table{
	name: "life-events",
	columns: slices.Concat([]column{
		{"key", typeKey}, {"nameNb", typeText}, {"nameEn", typeText}, {"audience", typeKey},
		{"leadBodyKey", typeKey}, {"leadBodyName", typeText},
	}, rollupColumns, metaColumns),
	params: []string{"audience", "leadBodyKey", "text"},
	rows:   lifeEventRows,
}

func lifeEventRows(v *view, p *params) ([]row, error) {
	f := store.LifeEventFilter{LeadBodyKey: p.bodyKey("leadBodyKey"), Text: p.str("text")}
	if a := enum(p, "audience", audiences); len(a) > 1 {
		p.fail(badParam("audience", "give one audience"))
	} else if len(a) == 1 {
		f.Audience = &a[0]
	}
	if p.err != nil {
		return nil, p.err
	}
	keys, err := allKeys(func(a store.PageArgs) (store.Page, error) { return v.snap.FindLifeEvents(f, a) })
	if err != nil {
		return nil, err
	}
	events, err := v.snap.LifeEventsByKeys(keys)
	if err != nil {
		return nil, err
	}
	rollups, err := v.rollups()
	if err != nil {
		return nil, err
	}
	out := make([]row, 0, len(events))
	for _, e := range events {
		lead, _ := v.bodyName(e.LeadBodyKey)
		out = append(out, slices.Concat(row{e.Key, e.NameNb, opt(e.NameEn), string(e.Audience),
			opt(e.LeadBodyKey), opt(lead)}, rollupOf(rollups, "life-event/"+e.Key), meta(e.Meta)))
	}
	return out, nil
}

var focusAreaTable = &table{
	name: "focus-areas",
	columns: slices.Concat([]column{
		{"key", typeKey}, {"number", typeKey}, {"nameNb", typeText}, {"nameEn", typeText}, {"governanceLevel", typeInt},
	}, rollupColumns, metaColumns),
	params: []string{"governanceLevel", "text"},
	rows:   focusAreaRows,
}

func focusAreaRows(v *view, p *params) ([]row, error) {
	f := store.FocusAreaFilter{GovernanceLevel: p.level("governanceLevel"), Text: p.str("text")}
	if p.err != nil {
		return nil, p.err
	}
	keys, err := allKeys(func(a store.PageArgs) (store.Page, error) { return v.snap.FindFocusAreas(f, a) })
	if err != nil {
		return nil, err
	}
	areas, err := v.snap.FocusAreasByKeys(keys)
	if err != nil {
		return nil, err
	}
	rollups, err := v.rollups()
	if err != nil {
		return nil, err
	}
	out := make([]row, 0, len(areas))
	for _, a := range areas {
		out = append(out, slices.Concat(row{a.Key, a.Number, a.NameNb, opt(a.NameEn), a.GovernanceLevel},
			rollupOf(rollups, "focus-area/"+a.Key), meta(a.Meta)))
	}
	return out, nil
}
