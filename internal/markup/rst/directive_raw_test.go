package rst

import "testing"

func TestDirectiveRawCases(t *testing.T) { runCases(t, "directive_raw") }
