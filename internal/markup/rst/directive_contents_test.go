package rst

import "testing"

func TestDirectiveContentsCases(t *testing.T) { runCases(t, "directive_contents") }
