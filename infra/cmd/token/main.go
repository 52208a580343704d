// Command token mints a token the local stack accepts: `make token SITE=acme`.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/infra/local"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "token:", err)
		os.Exit(1)
	}
}

func run() error {
	sites := flag.String("site", "demo", "site(s) the token administers, comma-separated")
	sub := flag.String("sub", "local-admin", "the administrator's subject (sub claim)")
	email := flag.String("email", "admin@example.com", "the administrator's e-mail (email claim)")
	ttl := flag.Duration("ttl", 24*time.Hour, "how long the token is valid")
	scope := flag.String("scope", "", `the token's OAuth scope: "checkout" for the platform's machine token (checkout routes only)`)
	flag.Parse()
	root, err := local.RepoRoot()
	if err != nil {
		return err
	}
	signer, err := local.LoadSigner(local.SignerKeyPath(local.StateDir(root)))
	if err != nil {
		return err
	}
	subject, mail := *sub, *email
	if *scope != "" && subject == "local-admin" {
		subject, mail = "local-platform", "" // a machine token is the platform's, not a person's
	}
	token, err := signer.MintScoped(subject, mail, strings.Split(*sites, ","), *scope, *ttl)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}
