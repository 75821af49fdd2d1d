package rst

import "testing"

func TestDirectiveTopicCases(t *testing.T) { runCases(t, "directive_topic") }
