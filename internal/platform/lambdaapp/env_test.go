package lambdaapp

import (
	"slices"
	"testing"
)

type testConfig struct {
	Table string `env:"T_TABLE" dynamodb:"GetItem, Query"`
	Other string `env:"T_OTHER" secretsmanager:"GetSecretValue"`
	Plain string
	Maybe string `env:"T_MAYBE,optional"`
}

func TestLoadEnv(t *testing.T) {
	var c testConfig
	if err := LoadEnv(&c, MapLookup(map[string]string{"T_TABLE": "t1", "T_OTHER": "o"})); err != nil {
		t.Fatal(err)
	}
	if c.Table != "t1" || c.Other != "o" || c.Plain != "" || c.Maybe != "" {
		t.Fatalf("config = %+v", c)
	}
	if err := LoadEnv(&c, MapLookup(map[string]string{"T_TABLE": "t1", "T_OTHER": "o", "T_MAYBE": "m"})); err != nil || c.Maybe != "m" {
		t.Fatalf("optional variable set: %+v, %v", c, err)
	}
	err := LoadEnv(&c, MapLookup(map[string]string{"T_OTHER": " "}))
	if err == nil || err.Error() != "missing environment variables: T_TABLE, T_OTHER" {
		t.Fatalf("err = %v, want both variables named", err)
	}
	if err := LoadEnv(c, MapLookup(nil)); err == nil {
		t.Fatal("a non-pointer must be refused")
	}
}

func TestEnvVars(t *testing.T) {
	vars := EnvVars(testConfig{})
	if len(vars) != 3 || vars[2].Name != "T_MAYBE" || vars[0].Name != "T_TABLE" || !slices.Equal(vars[0].DynamoDBActions, []string{"dynamodb:GetItem", "dynamodb:Query"}) || vars[1].DynamoDBActions != nil ||
		!slices.Equal(vars[1].SecretsManagerActions, []string{"secretsmanager:GetSecretValue"}) || vars[0].SecretsManagerActions != nil {
		t.Fatalf("vars = %+v", vars)
	}
}
