package secretsmanager

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// client returns the real SDK client talking to a fresh stand-in.
func client(t *testing.T) (*sm.Client, *Server) {
	t.Helper()
	srv := NewServer()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := sm.New(sm.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
	return c, srv
}

func TestCreateGetPut(t *testing.T) {
	c, srv := client(t)
	ctx := context.Background()
	created, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("boxoffice/acme/paypal"), SecretString: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("boxoffice/acme/paypal")})
	if err != nil || aws.ToString(got.SecretString) != "s1" || aws.ToString(got.VersionId) != aws.ToString(created.VersionId) {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if _, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: created.ARN, SecretString: aws.String("s2")}); err != nil {
		t.Fatal(err)
	}
	cur, _ := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: created.ARN})
	prev, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: created.ARN, VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || aws.ToString(cur.SecretString) != "s2" || aws.ToString(prev.SecretString) != "s1" {
		t.Fatalf("current %q previous %q (%v)", aws.ToString(cur.SecretString), aws.ToString(prev.SecretString), err)
	}
	desc, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("boxoffice/acme/paypal")})
	if err != nil || len(desc.VersionIdsToStages) != 2 || desc.CreatedDate == nil {
		t.Fatalf("describe = %+v, %v", desc, err)
	}
	if vals := srv.Values(); !slices.Contains(vals, "s2") || len(srv.SecretNames()) != 1 {
		t.Fatalf("values %v names %v", vals, srv.SecretNames())
	}
}

func TestTypedErrors(t *testing.T) {
	c, _ := client(t)
	ctx := context.Background()
	_, _ = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v")})

	_, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("missing")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("missing: %v", err)
	}
	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v")})
	var exists *types.ResourceExistsException
	if !errors.As(err, &exists) {
		t.Errorf("duplicate: %v", err)
	}
	_, err = c.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("x"), ForceDeleteWithoutRecovery: aws.Bool(true), RecoveryWindowInDays: aws.Int64(7)})
	var param *types.InvalidParameterException
	if !errors.As(err, &param) {
		t.Errorf("both delete flags: %v", err)
	}
	if _, err := c.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("x"), RecoveryWindowInDays: aws.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("x")})
	var invalid *types.InvalidRequestException
	if !errors.As(err, &invalid) {
		t.Errorf("get scheduled for deletion: %v", err)
	}
	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v")})
	if !errors.As(err, &invalid) {
		t.Errorf("create over scheduled deletion: %v", err)
	}
}

func TestDeleteRestoreForce(t *testing.T) {
	c, srv := client(t)
	ctx := context.Background()
	_, _ = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v")})
	del, err := c.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("x")})
	if err != nil || del.DeletionDate == nil {
		t.Fatalf("delete = %+v %v", del, err)
	}
	desc, _ := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	if desc.DeletedDate == nil {
		t.Fatal("a scheduled deletion must show DeletedDate")
	}
	if _, err := c.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("x")}); err != nil || aws.ToString(got.SecretString) != "v" {
		t.Fatalf("after restore: %v", err)
	}
	if _, err := c.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("x"), ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if len(srv.SecretNames()) != 0 || len(srv.Values()) != 0 {
		t.Fatal("a forced deletion must remove the secret at once")
	}
}

func TestListPrefixAndPages(t *testing.T) {
	c, _ := client(t)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		_, _ = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(fmt.Sprintf("boxoffice/s%d", i)), SecretString: aws.String("v")})
	}
	_, _ = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("other/x"), SecretString: aws.String("v")})
	var names []string
	p := sm.NewListSecretsPaginator(c, &sm.ListSecretsInput{
		MaxResults: aws.Int32(2),
		Filters:    []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"boxoffice/"}}},
	})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.SecretList {
			names = append(names, aws.ToString(s.Name))
		}
	}
	if pages != 3 || len(names) != 5 || names[0] != "boxoffice/s0" {
		t.Fatalf("pages %d names %v", pages, names)
	}
}

func TestConcurrentPuts(t *testing.T) {
	c, srv := client(t)
	ctx := context.Background()
	_, _ = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v0")})
	var wg sync.WaitGroup
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String("x"), SecretString: aws.String(fmt.Sprint("v", i))}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Exactly one current and one previous version remain.
	if vals := srv.Values(); len(vals) != 2 {
		t.Fatalf("versions kept: %v", vals)
	}
}

func TestOpenKeepsSecretsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	first, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(first)
	c := sm.New(sm.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Credentials: credentials.NewStaticCredentialsProvider("l", "l", "")})
	ctx := context.Background()
	if _, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("kept"), SecretString: aws.String("v1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String("kept"), SecretString: aws.String("v2")}); err != nil {
		t.Fatal(err)
	}
	hs.Close()
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v %v", info, err)
	}

	second, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	hs = httptest.NewServer(second)
	defer hs.Close()
	c = sm.New(sm.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Credentials: credentials.NewStaticCredentialsProvider("l", "l", "")})
	got, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("kept")})
	if err != nil || aws.ToString(got.SecretString) != "v2" {
		t.Fatalf("after reopen: %v %v", got, err)
	}
	prev, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("kept"), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || aws.ToString(prev.SecretString) != "v1" {
		t.Fatalf("previous after reopen: %v %v", prev, err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); err == nil {
		t.Fatal("a corrupt secrets file must be an error, not an empty store")
	}
}
