package checkouthttp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/csvsafe"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// TruncatedHeader is set ("true") on a CSV export that was cut at checkout.MaxExportRows
// orders or MaxExportBytes: narrow the filters (a date range) to export the rest.
const TruncatedHeader = "X-Truncated"

// MaxExportBytes bounds the CSV body as the Lambda answer carries it (a JSON string, escapes
// counted), under the 6 MB a Lambda answer may be, with room for the headers.
const MaxExportBytes = 5 << 20

// exportParams are the orders list's filters; the export takes no cursor or limit.
var exportParams = []string{"test", "state", "code", "from", "to"}

// csvHeader names the export's columns.
var csvHeader = []string{
	"ref", "created_at", "state", "test", "service", "offering_type", "offering_id", "offering_name",
	"buyer_name", "buyer_email", "code", "currency", "price_minor", "discount_minor", "total_minor",
	"provider", "transaction_id", "updated_at",
}

// csvRecord is one order as a CSV row; csvsafe makes every cell safe for a spreadsheet.
func csvRecord(o checkout.Order) []string {
	txn := o.Refs.TransactionID
	if txn == "" {
		txn = o.Refs.PNREF // Payflow's transaction number
	}
	return []string{
		o.Ref, csvsafe.Time(o.CreatedAt), string(o.State), strconv.FormatBool(o.Test()), o.Offering.Service, o.Offering.Type,
		o.Offering.ID, o.Offering.Name, o.Buyer.Name, o.Buyer.Email, o.Code, o.Amounts.Currency,
		strconv.FormatInt(o.Amounts.PriceMinor, 10), strconv.FormatInt(o.Amounts.DiscountMinor, 10),
		strconv.FormatInt(o.Amounts.TotalMinor, 10), string(o.Provider), txn, csvsafe.Time(o.UpdatedAt),
	}
}

// exportOrders answers GET /sites/{site}/orders/report.csv: the list's whole selection as
// one CSV file, cut (and X-Truncated: true) past MaxExportRows orders or MaxExportBytes.
func exportOrders(l checkout.Lister, now func() time.Time) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := exportFilter(r.URL.RawQuery)
		if err != nil {
			return err
		}
		site := r.PathValue("site")
		body, cut, err := exportCSV(r.Context(), l, site, f, now())
		if err != nil {
			return err
		}
		for name, value := range map[string]string{
			"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
			// A site ID is a DNS label (the router checked it): fit for a file name as it is.
			"Content-Disposition": `attachment; filename="orders-` + site + `.csv"`,
		} {
			w.Header().Set(name, value)
		}
		if cut {
			w.Header().Set(TruncatedHeader, "true")
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
		return nil
	}
}

// exportCSV writes the selection as CSV, its header row first; cut says orders were left out.
func exportCSV(ctx context.Context, l checkout.Lister, site string, f checkout.ListFilter, now time.Time) ([]byte, bool, error) {
	var buf bytes.Buffer
	cw := csvsafe.NewWriter(&buf)
	writeErr := cw.WriteRow(csvHeader)
	size := httpx.JSONStringLen(buf.Bytes())
	cut, err := checkout.Export(ctx, l, site, f, now, checkout.MaxExportRows, func(o checkout.Order) bool {
		mark := buf.Len()
		if writeErr != nil {
			return false
		}
		if writeErr = cw.WriteRow(csvRecord(o)); writeErr == nil && size+httpx.JSONStringLen(buf.Bytes()[mark:]) <= MaxExportBytes {
			size += httpx.JSONStringLen(buf.Bytes()[mark:])
			return true
		}
		buf.Truncate(mark) // this row does not fit
		return false
	})
	if err == nil && writeErr != nil {
		err = apperr.Internal(fmt.Errorf("write the orders CSV: %w", writeErr))
	}
	return buf.Bytes(), cut, err
}

// exportFilter reads the list's filters, refusing the paging parameters by name.
func exportFilter(raw string) (checkout.ListFilter, error) {
	var v apperr.Errors
	httpx.ReadQuery(raw, exportParams, "the orders export", &v)
	if err := v.Err(); err != nil {
		return checkout.ListFilter{}, err
	}
	return listFilter(raw)
}
