package issue

import "testing"

func TestJobPercent(t *testing.T) {
	tests := []struct {
		name string
		job  Job
		want int
	}{
		{"awaiting upload", Job{State: JobAwaitingUpload}, 0},
		{"creating, none yet", Job{State: JobCreating, Recipients: 4}, 0},
		{"half the codes", Job{State: JobCreating, Recipients: 4, CodesCreated: 2}, 25},
		{"codes made, half mailed", Job{State: JobSending, Recipients: 4, CodesCreated: 4, MailsSent: 1, MailsFailed: 1}, 75},
		{"done", Job{State: JobDone, Recipients: 4, CodesCreated: 4, MailsSent: 3, MailsFailed: 1}, 100},
		{"refused file", Job{State: JobFailed}, 0},
		{"generation, none yet", Job{Kind: KindGeneration, State: JobCreating, Quantity: 5000}, 0},
		{"generation, a third made", Job{Kind: KindGeneration, State: JobCreating, Quantity: 3000, CodesCreated: 1000}, 33},
		{"generation, all made", Job{Kind: KindGeneration, State: JobCreating, Quantity: 3000, CodesCreated: 3000}, 100},
		{"generation done", Job{Kind: KindGeneration, State: JobDone, Quantity: 3000, CodesCreated: 3000}, 100},
	}
	for _, tt := range tests {
		if got := tt.job.Percent(); got != tt.want {
			t.Errorf("%s: Percent() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
