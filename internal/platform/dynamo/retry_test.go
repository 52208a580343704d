package dynamo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// fakeTransacter answers each call with the next of answers (nil: applied), and fills in
// the idempotency token the way the SDK does, recording the token each call came with.
type fakeTransacter struct {
	answers []error
	tokens  []*string
}

func (f *fakeTransacter) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.tokens = append(f.tokens, in.ClientRequestToken)
	in.ClientRequestToken = aws.String("token-of-attempt")
	err := f.answers[len(f.tokens)-1]
	return &dynamodb.TransactWriteItemsOutput{}, err
}

func cancelled(codes ...string) error {
	var reasons []types.CancellationReason
	for _, c := range codes {
		reasons = append(reasons, types.CancellationReason{Code: aws.String(c)})
	}
	return &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

// TestTransactWriteRetriesWhatPasses: cancellations for a conflict or throttling, and the
// conflict a single write meets, are tried again, each as a new transaction (no token of a
// cancelled one); a failed condition, even beside a conflict, and any other error are not;
// a write that keeps conflicting gives up after WriteAttempts with the last cancellation.
func TestTransactWriteRetriesWhatPasses(t *testing.T) {
	defer func(p func(int) time.Duration) { retryPause = p }(retryPause)
	retryPause = func(int) time.Duration { return 0 }
	conflict := cancelled("None", "TransactionConflict")
	always := make([]error, WriteAttempts)
	for i := range always {
		always[i] = conflict
	}
	tests := []struct {
		name    string
		answers []error
		calls   int
	}{
		{"applied at once", []error{nil}, 1},
		{"conflicts, then applied", []error{conflict, cancelled("TransactionConflict", "None"), nil}, 3},
		{"throttled, then applied", []error{cancelled("ThrottlingError"), nil}, 2},
		{"a single write's conflict", []error{&types.TransactionConflictException{}, nil}, 2},
		{"in progress", []error{&types.TransactionInProgressException{}, nil}, 2},
		{"a failed condition", []error{cancelled("ConditionalCheckFailed", "None")}, 1},
		{"a failed condition beside a conflict", []error{cancelled("ConditionalCheckFailed", "TransactionConflict")}, 1},
		{"another error", []error{errors.New("access denied")}, 1},
		{"conflicts forever", always, WriteAttempts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTransacter{answers: tt.answers}
			err := TransactWrite(context.Background(), f, &dynamodb.TransactWriteItemsInput{})
			if len(f.tokens) != tt.calls {
				t.Fatalf("%d calls, want %d", len(f.tokens), tt.calls)
			}
			if last := tt.answers[tt.calls-1]; !errors.Is(err, last) {
				t.Fatalf("error %v, want the last answer, %v", err, last)
			}
			for i, tok := range f.tokens {
				if tok != nil {
					t.Fatalf("attempt %d reused the token %q of a cancelled transaction", i+1, *tok)
				}
			}
		})
	}
}

// TestRetryStopsWhenTheContextEnds: no pause outlives the caller's context.
func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Retry(ctx, func() error {
		calls++
		cancel()
		return &types.TransactionConflictException{}
	})
	var conflict *types.TransactionConflictException
	if calls != 1 || !errors.As(err, &conflict) {
		t.Fatalf("%d calls, error %v; want one call and its conflict", calls, err)
	}
}
