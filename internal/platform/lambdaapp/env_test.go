package lambdaapp

import (
	"slices"
	"strings"
	"testing"
)

type testConfig struct {
	Table string `env:"T_TABLE" dynamodb:"GetItem, Query"`
	Other string `env:"T_OTHER" secretsmanager:"GetSecretValue"`
	Plain string
}

func TestLoadEnv(t *testing.T) {
	var c testConfig
	if err := LoadEnv(&c, MapLookup(map[string]string{"T_TABLE": "t1", "T_OTHER": "o"})); err != nil {
		t.Fatal(err)
	}
	if c.Table != "t1" || c.Other != "o" || c.Plain != "" {
		t.Fatalf("config = %+v", c)
	}
	err := LoadEnv(&c, MapLookup(map[string]string{"T_OTHER": " "}))
	if err == nil || !strings.Contains(err.Error(), "T_TABLE, T_OTHER") {
		t.Fatalf("err = %v, want both variables named", err)
	}
	if err := LoadEnv(c, MapLookup(nil)); err == nil {
		t.Fatal("a non-pointer must be refused")
	}
}

func TestEnvVars(t *testing.T) {
	vars := EnvVars(testConfig{})
	if len(vars) != 2 || vars[0].Name != "T_TABLE" || !slices.Equal(vars[0].DynamoDBActions, []string{"dynamodb:GetItem", "dynamodb:Query"}) || vars[1].DynamoDBActions != nil ||
		!slices.Equal(vars[1].SecretsManagerActions, []string{"secretsmanager:GetSecretValue"}) || vars[0].SecretsManagerActions != nil {
		t.Fatalf("vars = %+v", vars)
	}
}
