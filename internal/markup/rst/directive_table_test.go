package rst

import "testing"

func TestDirectiveTableCases(t *testing.T) { runCases(t, "directive_table") }
