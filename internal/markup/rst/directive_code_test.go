package rst

import "testing"

func TestDirectiveCodeCases(t *testing.T) { runCases(t, "directive_code") }
