package rst

import "testing"

func TestDirectiveIncludeCases(t *testing.T) { runCases(t, "directive_include") }
