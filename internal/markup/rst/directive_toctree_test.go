package rst

import "testing"

func TestDirectiveToctreeCases(t *testing.T) { runCases(t, "directive_toctree") }
