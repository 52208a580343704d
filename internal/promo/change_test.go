package promo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// changeCodes returns n distinct valid codes.
func changeCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("CODE%05d", i)
	}
	return out
}

// fields lists the fields an error names, in order.
func fields(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, d := range apperr.As(err).Details {
		out = append(out, d.Field)
	}
	return out
}

func TestExtendInputValidate(t *testing.T) {
	tests := []struct {
		name      string
		in        promo.ExtendInput
		todays    []string
		wantCodes []string
		wantErr   []string
	}{
		{"one code", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2026-12-31"}, []string{"2026-11-28", "2026-11-28"}, []string{"ABC123"}, nil},
		{"today is fine", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2026-11-28"}, []string{"2026-11-28"}, []string{"ABC123"}, nil},
		{"case and spaces normalised", promo.ExtendInput{
			Codes: []string{" abc123", "XYZ-9_", "qqq "}, ExpiresOn: "2026-12-31",
		}, []string{"2026-11-28"}, []string{"ABC123", "XYZ-9_", "QQQ"}, nil},
		{"a code sent twice, in any case, is refused naming the second", promo.ExtendInput{
			Codes: []string{" abc123", "XYZ-9_", "ABC123", "xyz-9_ ", "QQQ"}, ExpiresOn: "2026-12-31",
		}, []string{"2026-11-28"}, nil, []string{"codes[2]", "codes[3]"}},
		{"past in one zone only is decided per code", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2026-11-27"},
			[]string{"2026-11-28", "2026-11-27"}, []string{"ABC123"}, nil},
		{"past in every zone", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2026-11-27"},
			[]string{"2026-11-28", "2026-11-28"}, nil, []string{"expiresOn"}},
		{"missing date", promo.ExtendInput{Codes: []string{"ABC123"}}, []string{"2026-11-28"}, nil, []string{"expiresOn"}},
		{"ten years ahead", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2036-11-28"}, []string{"2026-11-28"}, []string{"ABC123"}, nil},
		{"past ten years", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2036-11-29"}, []string{"2026-11-28"}, nil, []string{"expiresOn"}},
		{"9999-12-31", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "9999-12-31"}, []string{"2026-11-28"}, nil, []string{"expiresOn"}},
		{"not a date", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2026-02-30"}, []string{"2026-01-01"}, nil, []string{"expiresOn"}},
		{"not ISO", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "31/12/2026"}, []string{"2026-01-01"}, nil, []string{"expiresOn"}},
		{"no codes", promo.ExtendInput{ExpiresOn: "2026-12-31"}, []string{"2026-11-28"}, nil, []string{"codes"}},
		{"empty codes", promo.ExtendInput{Codes: []string{}, ExpiresOn: "2026-12-31"}, []string{"2026-11-28"}, nil, []string{"codes"}},
		{"1,000 codes", promo.ExtendInput{Codes: changeCodes(1000), ExpiresOn: "2026-12-31"}, []string{"2026-11-28"}, changeCodes(1000), nil},
		{"1,001 codes", promo.ExtendInput{Codes: changeCodes(1001), ExpiresOn: "2026-12-31"}, []string{"2026-11-28"}, nil, []string{"codes"}},
		{"every problem at once", promo.ExtendInput{Codes: []string{"OK1234", "", "AB", strings.Repeat("A", 33), "ÄBC123", "A B C"}, ExpiresOn: "2020-01-01"},
			[]string{"2026-11-28"}, nil, []string{"codes[1]", "codes[2]", "codes[3]", "codes[4]", "codes[5]", "expiresOn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Validate(tt.todays)
			if !slices.Equal(fields(err), tt.wantErr) {
				t.Fatalf("error fields = %v (%v), want %v", fields(err), err, tt.wantErr)
			}
			if err != nil {
				if apperr.CodeOf(err) != apperr.CodeInvalid {
					t.Fatalf("code = %s", apperr.CodeOf(err))
				}
				return
			}
			if !slices.Equal(got.Codes, tt.wantCodes) || got.ExpiresOn != tt.in.ExpiresOn {
				t.Fatalf("got %v %s, want %v", got.Codes, got.ExpiresOn, tt.wantCodes)
			}
		})
	}
}

func TestDeleteInputValidate(t *testing.T) {
	tests := []struct {
		name      string
		codes     []string
		wantCodes []string
		wantErr   []string
	}{
		{"codes", []string{"abc123", "DEF456"}, []string{"ABC123", "DEF456"}, nil},
		{"a code twice, in another case", []string{"abc123", "DEF456", "Abc123"}, nil, []string{"codes[2]"}},
		{"none", nil, nil, []string{"codes"}},
		{"1,000", changeCodes(1000), changeCodes(1000), nil},
		{"1,001", changeCodes(1001), nil, []string{"codes"}},
		{"malformed", []string{"ABC123", "ABC!23"}, nil, []string{"codes[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := promo.DeleteInput{Codes: tt.codes}.Validate()
			if !slices.Equal(fields(err), tt.wantErr) {
				t.Fatalf("error fields = %v (%v), want %v", fields(err), err, tt.wantErr)
			}
			if err == nil && !slices.Equal(got.Codes, tt.wantCodes) {
				t.Fatalf("codes = %v, want %v", got.Codes, tt.wantCodes)
			}
		})
	}
}

func TestDecideExtend(t *testing.T) {
	active := promo.Code{Code: "ABC123", ExpiresOn: "2026-12-31", Stored: promo.StatusActive}
	usedUp := active
	usedUp.Stored = promo.StatusUsedUp
	deleted := active
	deleted.Stored = promo.StatusDeleted
	expired := active
	expired.ExpiresOn = "2026-01-31"
	tests := []struct {
		name  string
		c     promo.Code
		found bool
		day   string
		today string
		want  promo.ChangeResult
	}{
		{"not found", promo.Code{}, false, "2027-01-31", "2026-11-28", promo.ChangeNotFound},
		{"deleted", deleted, true, "2027-01-31", "2026-11-28", promo.ChangeDeleted},
		{"deleted wins over a past date", deleted, true, "2026-01-01", "2026-11-28", promo.ChangeDeleted},
		{"later", active, true, "2027-01-31", "2026-11-28", promo.ChangeExtended},
		{"used up codes can be extended", usedUp, true, "2027-01-31", "2026-11-28", promo.ChangeExtended},
		{"expired codes can be revived", expired, true, "2026-11-28", "2026-11-28", promo.ChangeExtended},
		{"same day", active, true, "2026-12-31", "2026-11-28", promo.ChangeUnchanged},
		{"earlier", active, true, "2026-12-30", "2026-11-28", promo.ChangeEarlierThanCurrent},
		{"before today in the code's zone", expired, true, "2026-11-27", "2026-11-28", promo.ChangeBeforeToday},
		{"before today and earlier", active, true, "2026-11-27", "2026-11-28", promo.ChangeBeforeToday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := promo.DecideExtend(tt.c, tt.found, tt.day, tt.today); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDecideDelete(t *testing.T) {
	tests := []struct {
		name  string
		c     promo.Code
		found bool
		want  promo.ChangeResult
		done  bool
	}{
		{"not found", promo.Code{}, false, promo.ChangeNotFound, true},
		{"deleted", promo.Code{Stored: promo.StatusDeleted}, true, promo.ChangeAlreadyDeleted, true},
		{"active: try again", promo.Code{Stored: promo.StatusActive}, true, "", false},
		{"used up: try again", promo.Code{Stored: promo.StatusUsedUp}, true, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, done := promo.DecideDelete(tt.c, tt.found)
			if got != tt.want || done != tt.done {
				t.Fatalf("got %q %v, want %q %v", got, done, tt.want, tt.done)
			}
		})
	}
}

func TestExtendedAndDeleted(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, ny)
	c := promo.Code{Site: "acme", Code: "ABC123", ExpiresOn: "2026-12-31", Stored: promo.StatusActive, Used: 3}
	end, err := promo.EndOfDay("2027-01-31", ny)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Extended("2027-01-31", end, "u1", now)
	if x.ExpiresOn != "2027-01-31" || !x.ExpiresAt.Equal(time.Date(2027, 2, 1, 5, 0, 0, 0, time.UTC)) || x.ExpiresAt.Location() != time.UTC ||
		x.UpdatedBy != "u1" || !x.UpdatedAt.Equal(now) || x.Used != 3 || x.Stored != promo.StatusActive {
		t.Fatalf("extended = %+v", x)
	}
	d := c.Deleted("u2", now)
	if d.Stored != promo.StatusDeleted || d.DeletedBy != "u2" || !d.DeletedAt.Equal(now) || d.UpdatedBy != "u2" || d.ExpiresOn != c.ExpiresOn {
		t.Fatalf("deleted = %+v", d)
	}
	if d.StatusAt(now) != promo.StatusDeleted {
		t.Fatalf("status = %s", d.StatusAt(now))
	}
}
