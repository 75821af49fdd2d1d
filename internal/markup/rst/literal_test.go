package rst

import "testing"

func TestLiteralCases(t *testing.T) { runCases(t, "literal") }
