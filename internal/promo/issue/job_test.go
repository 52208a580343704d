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
	}
	for _, tt := range tests {
		if got := tt.job.Percent(); got != tt.want {
			t.Errorf("%s: Percent() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
