package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"handlingsplan/store"
)

// token manages API tokens in a data directory (the server must not be
// running on it: Badger allows one process per directory; while it runs,
// an ADMIN token can use the createToken and revokeToken mutations).
func token(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("token needs a subcommand: create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "HANDLINGSPLAN_DATA", "./data"), "data directory (env HANDLINGSPLAN_DATA)")
	var body, role, name *string
	if sub == "create" {
		body = fs.String("body", "", "key of the body the token acts for (required)")
		role = fs.String("role", "", "ADMIN, EDITOR, REPORTER or READER (required)")
		name = fs.String("name", "", "a name for the token, shown in the audit trail")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(store.Options{Dir: *data})
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create":
		if fs.NArg() > 0 {
			return fmt.Errorf("token create takes no arguments, got %q", fs.Args())
		}
		if *body == "" || *role == "" {
			return fmt.Errorf("token create needs --body and --role")
		}
		secret, t, err := db.CreateToken(ctx, store.System, *body, store.Role(*role), *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created token %s (%s) for %s with role %s; the secret is shown once, below:\n", t.ID, t.Name, t.BodyKey, t.Role)
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		ts, err := db.Tokens()
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tBODY\tROLE\tCREATED\tREVOKED")
		for _, t := range ts {
			revoked := "-"
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.BodyKey, t.Role, t.CreatedAt.Format("2006-01-02 15:04"), revoked)
		}
		return w.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("token revoke takes one token id (see token list)")
		}
		t, err := db.RevokeToken(ctx, store.System, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %s (%s)\n", t.ID, t.Name)
		return nil
	}
	return fmt.Errorf("unknown token subcommand %q: use create, list or revoke", sub)
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}
