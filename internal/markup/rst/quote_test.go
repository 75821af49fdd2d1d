package rst

import "testing"

func TestQuoteCases(t *testing.T) { runCases(t, "quote") }
