package mail

import (
	"strings"
	"testing"
)

var zoe = Vars{
	AttendeeName: "Zoë Ørsted", PromoCode: "SPRING-7F3K", Discount: "20%",
	ExpirationDate: "2026-06-30", MerchantName: "Teatro Azul", SupportInfo: "help@teatro.example",
}

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name string
		tpl  Template
		vars Vars
		want Message
	}{
		{
			name: "every variable",
			tpl: Template{
				Subject: "%MerchantName%: %Discount% off",
				Body:    "%AttendeeName%|%PromoCode%|%Discount%|%ExpirationDate%|%MerchantName%|%SupportInfo%",
			},
			vars: zoe,
			want: Message{
				Subject: "Teatro Azul: 20% off",
				Body:    "Zoë Ørsted|SPRING-7F3K|20%|2026-06-30|Teatro Azul|help@teatro.example",
			},
		},
		{
			name: "any case",
			tpl:  Template{Subject: "%promocode%", Body: "%PROMOCODE% %AttendeeNAME%"},
			vars: zoe,
			want: Message{Subject: "SPRING-7F3K", Body: "SPRING-7F3K Zoë Ørsted"},
		},
		{
			name: "single pass: a value is not expanded again",
			tpl:  Template{Subject: "Hi %AttendeeName%", Body: "Hi %AttendeeName%, code %PromoCode%"},
			vars: Vars{AttendeeName: "%PromoCode%", PromoCode: "%AttendeeName%"},
			want: Message{Subject: "Hi %PromoCode%", Body: "Hi %PromoCode%, code %AttendeeName%"},
		},
		{
			name: "lone percent signs are text",
			tpl:  Template{Subject: "20% off, 100%", Body: "50%-75% %PromoCode% 100%%PromoCode%%"},
			vars: zoe,
			want: Message{Subject: "20% off, 100%", Body: "50%-75% SPRING-7F3K 100%SPRING-7F3K%"},
		},
		{
			name: "unknown placeholders stay",
			tpl:  Template{Subject: "%Foo%", Body: "%Foo% %PromoCode% %Bar_1%"},
			vars: zoe,
			want: Message{Subject: "%Foo%", Body: "%Foo% SPRING-7F3K %Bar_1%"},
		},
		{
			name: "line breaks in subject values become spaces, not in the body",
			tpl:  Template{Subject: "For %AttendeeName%", Body: "For %AttendeeName%"},
			vars: Vars{AttendeeName: "Ana\r\nBcc: x@evil.example\nLine\u2028Tab\t"},
			want: Message{Subject: "For Ana Bcc: x@evil.example Line Tab ", Body: "For Ana\r\nBcc: x@evil.example\nLine\u2028Tab\t"},
		},
		{
			name: "empty values",
			tpl:  Template{Subject: "%Discount%", Body: "[%AttendeeName%]"},
			vars: Vars{},
			want: Message{Subject: "", Body: "[]"},
		},
		{
			name: "no variables",
			tpl:  Template{Subject: "Hello", Body: "Plain"},
			vars: zoe,
			want: Message{Subject: "Hello", Body: "Plain"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tpl.Render(tc.vars); got != tc.want {
				t.Errorf("Render =\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

func TestDefaultUsesEveryVariableAndIsValid(t *testing.T) {
	d := Default()
	if err := d.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	both := d.Subject + d.Body
	for _, v := range VarNames() {
		if !strings.Contains(both, "%"+v+"%") {
			t.Errorf("default template does not use %%%s%%", v)
		}
	}
	m := d.Render(zoe)
	if strings.Contains(m.Subject+m.Body, "%"+VarPromoCode) || !strings.Contains(m.Body, zoe.PromoCode) {
		t.Errorf("rendered default still has placeholders or lacks the code:\n%s\n%s", m.Subject, m.Body)
	}
}

func TestVarNamesIsACopy(t *testing.T) {
	VarNames()[0] = "x"
	if VarNames()[0] != VarAttendeeName {
		t.Fatal("VarNames exposes the internal list")
	}
}
