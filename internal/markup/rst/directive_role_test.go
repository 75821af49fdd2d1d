package rst

import "testing"

func TestDirectiveRoleCases(t *testing.T) { runCases(t, "directive_role") }
