package cli

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay is how long work must have run before a bar is drawn:
// work that a warm cache makes quick draws nothing.
const progressDelay = 300 * time.Millisecond

// progressBar returns a progress function for the library's Progress
// options that draws a bar, described by what, on w when w is a terminal,
// and nil when it is not (scripts and CI see nothing), with finish, which
// removes the bar once the work has ended.
func progressBar(w io.Writer, what string) (progress func(done, total int), finish func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	return newBar(w, what, progressDelay)
}

// newBar returns the progress and finish functions of a bar drawn on w
// once the work has run for delay.
func newBar(w io.Writer, what string, delay time.Duration) (progress func(done, total int), finish func()) {
	var (
		bar   *progressbar.ProgressBar
		start time.Time
	)
	progress = func(done, total int) {
		if start.IsZero() {
			start = time.Now()
		}
		if bar == nil {
			if done >= total || time.Since(start) < delay {
				return
			}
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		_ = bar.Set(done)
	}
	finish = func() {
		if bar != nil {
			_ = bar.Clear()
		}
	}
	return progress, finish
}
