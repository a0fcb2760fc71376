package store

// Role is what a token may do.
type Role string

// The roles, from most to least powerful.
const (
	// RoleAdmin may do everything, including managing tokens.
	RoleAdmin Role = "ADMIN"
	// RoleEditor maintains the plan's structure (the secretariat).
	RoleEditor Role = "EDITOR"
	// RoleReporter reports status on, and edits the descriptive fields of,
	// the tiltak its body is responsible for or takes part in.
	RoleReporter Role = "REPORTER"
	// RoleReader may only read (needed when the server runs --private).
	RoleReader Role = "READER"
)

// AllRoles lists the roles.
var AllRoles = []Role{RoleAdmin, RoleEditor, RoleReporter, RoleReader}

// IsValid reports whether r is a defined role.
func (r Role) IsValid() bool { return oneOf(r, AllRoles) }

// Actor is who makes a change: the token's name and body, recorded in the
// audit trail. The zero Actor is the system itself (command-line tools).
type Actor struct {
	TokenID   string `json:"tokenId,omitempty"`
	TokenName string `json:"tokenName,omitempty"`
	BodyKey   string `json:"bodyKey,omitempty"`
	Role      Role   `json:"role,omitempty"`
	// Reason and DecidedIn say why a change is made and which forum case
	// decided it; they go into the audit entry, not into the actor.
	Reason    string `json:"-"`
	DecidedIn string `json:"-"`
}

// System is the actor of command-line tools run by the operator.
var System = Actor{TokenName: "system"}
