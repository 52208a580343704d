package checkout_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// benchBuyers is how many buyers create orders at once in the latency benchmarks.
const benchBuyers = 50

// latencies runs b.N calls of call spread over benchBuyers goroutines and reports the
// median and 99th percentile of one call.
func latencies(b *testing.B, call func(i int) error) {
	b.Helper()
	var (
		mu   sync.Mutex
		took = make([]time.Duration, 0, b.N)
		wg   sync.WaitGroup
		next = make(chan int)
	)
	b.ResetTimer()
	for range benchBuyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				start := time.Now()
				if err := call(i); err != nil {
					b.Error(err)
				}
				d := time.Since(start)
				mu.Lock()
				took = append(took, d)
				mu.Unlock()
			}
		}()
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkCreateOrder is order creation (the order with its history, then the page's
// refs) by 50 buyers at once, on DynamoDB Local: without a code, and with one code they all
// use (its reservation is one more conditional write, all on that code's item).
func BenchmarkCreateOrder(b *testing.B) {
	for _, code := range []string{"", "MANY"} {
		b.Run("code="+code, func(b *testing.B) {
			s := newStores(b)
			s.seedCode(b, "MANY", promo.Usage{Kind: promo.UsageUnlimited})
			now := raceNow
			c := s.checkout(b, &now)
			latencies(b, func(int) error {
				_, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith(code)})
				return err
			})
		})
	}
}

// BenchmarkBareConditionalUpdate is the floor beside it: one conditional UpdateItem per
// call, by 50 callers at once, on the same DynamoDB Local: on 50 items, and all on one item
// (as the buyers of one code are).
func BenchmarkBareConditionalUpdate(b *testing.B) {
	for _, items := range []int{benchBuyers, 1} {
		b.Run(fmt.Sprintf("items=%d", items), func(b *testing.B) { bareUpdates(b, items) })
	}
}

func bareUpdates(b *testing.B, items int) {
	s := newStores(b)
	latencies(b, func(i int) error {
		_, err := s.db.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
			TableName: aws.String(s.promo),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "bench"},
				"sk": &types.AttributeValueMemberS{Value: fmt.Sprintf("n#%d", i%items)}},
			UpdateExpression:          aws.String("SET n = if_not_exists(n, :zero) + :one"),
			ConditionExpression:       aws.String("attribute_not_exists(n) OR n < :max"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":zero": &types.AttributeValueMemberN{Value: "0"}, ":one": &types.AttributeValueMemberN{Value: "1"}, ":max": &types.AttributeValueMemberN{Value: "1000000000"}},
		})
		return err
	})
}

// BenchmarkThousandBuyers is the wall time of 1,000 buyers racing for a 10-use code.
func BenchmarkThousandBuyers(b *testing.B) {
	s := newStores(b)
	now := raceNow
	c := s.checkout(b, &now)
	for i := range b.N {
		b.StopTimer()
		code := fmt.Sprintf("RACE%d", i)
		s.seedCode(b, code, promo.Usage{Kind: promo.UsageMultiple, Max: 10})
		var wg sync.WaitGroup
		start := make(chan struct{})
		b.StartTimer()
		for range 1000 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, _ = c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith(code)})
			}()
		}
		close(start)
		wg.Wait()
	}
}
