package rst

import "testing"

func TestDirectiveImageCases(t *testing.T) { runCases(t, "directive_image") }
