package promo

import "github.com/boxofficehq/boxoffice/internal/platform/apperr"

// ValidateDiscount is DiscountInput.validate for FuzzDiscount, a test outside the package
// so that it can share promotest's checks.
func ValidateDiscount(in *DiscountInput, v *apperr.Errors) Discount { return in.validate(v) }
