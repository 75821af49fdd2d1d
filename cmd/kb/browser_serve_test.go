//go:build browser

package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserServeReloads: a page open on kb serve reloads itself after an
// edit, shows a failed build's errors over the page (as text, within the
// pages' Content-Security-Policy), and reloads again once fixed.
func TestBrowserServeReloads(t *testing.T) {
	chrome := chromiumPath(t)
	s := startServe(t, serveSite)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	t.Cleanup(cancelAlloc)
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if strings.Contains(ev.Entry.Text, "Content Security Policy") {
				problems = append(problems, "log: "+ev.Entry.Text)
			}
		}
	}
	bctx, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	t.Cleanup(cancelBrowser)
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("%s", p)
		}
	})
	do := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, s.stdout, s.stderr)
		}
	}

	// waitFor polls expr across reloads, which end a single evaluation.
	waitFor := func(name, expr string) {
		t.Helper()
		var err error
		for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			ctx, cancel := context.WithTimeout(bctx, 10*time.Second)
			var ok bool
			ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			cancel()
			if err == nil && ok {
				return
			}
		}
		t.Fatalf("%s: timed out (%v)\nstdout:\n%s\nstderr:\n%s", name, err, s.stdout, s.stderr)
	}

	do("open", chromedp.Navigate(s.url+"incidents/2024-01-01-a/"),
		poll(`document.body.textContent.includes('The first wording')`))
	// A mark that only this page load has: a reload clears it.
	do("mark", chromedp.Evaluate[chromedp.Void](`window.kbServeMark = 1`))

	s.write("content/2024-01-01-a.md", "---\ntitle: Queue backlog\n---\n## Impact\n\nThe second wording of the impact.\n")
	waitFor("reload after the edit", `!window.kbServeMark && document.body.textContent.includes('The second wording')`)

	s.write("content/broken.md", "---\ntitle: [\n---\n<img src=x onerror=alert(1)>\n")
	waitFor("overlay", `!!document.querySelector('#kb-serve-errors .kb-serve-error') &&
		document.getElementById('kb-serve-errors').textContent.includes('content/broken.md:')`)
	do("still the last good page", chromedp.Evaluate[chromedp.Void](`window.kbServeMark = 2`),
		poll(`document.body.textContent.includes('The second wording') && !document.querySelector('#kb-serve-errors img')`))

	s.write("content/broken.md", "---\ntitle: Fixed\n---\n## Impact\n\nFixed now.\n")
	waitFor("reload after the fix", `window.kbServeMark !== 2 && document.readyState === 'complete' && !document.getElementById('kb-serve-errors')`)
}
