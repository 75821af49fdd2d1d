package rst

import "testing"

func TestDirectiveAdmonitionCases(t *testing.T) { runCases(t, "directive_admonition") }
