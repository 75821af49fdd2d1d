package when

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// describe prints a match compactly for table tests: the text it covers,
// its start and end, and its flags. A zoned time also shows its offset, so
// that "PST" proves -08:00 and not only a name.
func describe(text string, m Match) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %s", text[m.Pos:m.EndPos], showDate(m.Start))
	if !m.End.IsZero() {
		fmt.Fprintf(&b, " .. %s", showDate(m.End))
	}
	if m.Order != OrderNone {
		fmt.Fprintf(&b, " %s", m.Order)
	}
	if m.Ambiguous {
		fmt.Fprintf(&b, " ambiguous alt=%s", showDate(m.Alt))
	}
	if m.NoYear {
		b.WriteString(" noyear")
	}
	if m.Start.Zone != "" {
		fmt.Fprintf(&b, " zone=%s", m.Start.Zone)
	}
	return b.String()
}

func showDate(d Date) string {
	s := d.String()
	if d.Precision == Minute && d.Zoned {
		s += " " + d.Time.Format("-07:00")
	}
	return s
}

func describeAll(text string, ms []Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, describe(text, m))
	}
	return out
}

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		// ISO and near-ISO.
		{"iso", "on 2019-12-27 the hub", []string{`"2019-12-27" 2019-12-27`}},
		{"iso slashes", "2019/12/27", []string{`"2019/12/27" 2019-12-27`}},
		{"iso dots", "2019.12.27.", []string{`"2019.12.27" 2019-12-27`}},
		{"iso one-digit month", "2019-1-5 x", []string{`"2019-1-5" 2019-01-05`}},
		{"iso T Z", "at 2019-12-27T15:15:00Z", []string{`"2019-12-27T15:15:00Z" 2019-12-27 15:15 UTC +00:00 zone=Z`}},
		{"iso T offset", "2019-12-27T15:15:00+02:00", []string{`"2019-12-27T15:15:00+02:00" 2019-12-27 15:15 +02:00 +02:00 zone=+02:00`}},
		{"iso T negative offset", "2019-12-27T15:15:00-05:00", []string{`"2019-12-27T15:15:00-05:00" 2019-12-27 15:15 -05:00 -05:00 zone=-05:00`}},
		{"iso T fraction", "2019-12-27T15:15:09.25Z", []string{`"2019-12-27T15:15:09.25Z" 2019-12-27 15:15:09 UTC +00:00 zone=Z`}},
		{"iso T no zone", "2019-12-27T15:15", []string{`"2019-12-27T15:15" 2019-12-27 15:15`}},
		{"iso space time", "2019-12-27 15:15 deploy", []string{`"2019-12-27 15:15" 2019-12-27 15:15`}},
		{"iso seconds", "2019-12-27 15:15:30", []string{`"2019-12-27 15:15:30" 2019-12-27 15:15:30`}},
		{"iso seconds offset", "2019-12-27 10:00:00-05:00", []string{`"2019-12-27 10:00:00-05:00" 2019-12-27 10:00 -05:00 -05:00 zone=-05:00`}},
		{"log line dot millis", "[W 2020-03-02 07:41:05.120 proxy:88] retry", []string{`"2020-03-02 07:41:05.120" 2020-03-02 07:41:05`}},
		{"log line comma millis", "2020-03-02 07:41:05,120 WARNING", []string{`"2020-03-02 07:41:05,120" 2020-03-02 07:41:05`}},
		{"compact digits are not a date", "build 20191227 failed", nil},
		{"iso with month name", "2019-Jan-05 and 2019-jan-05 10:00", []string{
			`"2019-Jan-05" 2019-01-05`, `"2019-jan-05 10:00" 2019-01-05 10:00`}},
		{"file name", "2024-03-11-dns.md", []string{`"2024-03-11" 2024-03-11`}},

		// Times after a date.
		{"12-hour glued", "2017-11-30 4:23PM PST, proxy", []string{`"2017-11-30 4:23PM PST" 2017-11-30 16:23 PST -08:00 zone=PST`}},
		{"12-hour lower", "2017-11-30 5:00pm", []string{`"2017-11-30 5:00pm" 2017-11-30 17:00`}},
		{"12-hour spaced", "2017-11-30 11:50 pm x", []string{`"2017-11-30 11:50 pm" 2017-11-30 23:50`}},
		{"a.m.", "2017-11-30 10:00 a.m. The", []string{`"2017-11-30 10:00 a.m." 2017-11-30 10:00`}},
		{"12 am is midnight", "2017-11-30 12:10am", []string{`"2017-11-30 12:10am" 2017-11-30 00:10`}},
		{"12 pm is noon", "2017-11-30 12pm", []string{`"2017-11-30 12pm" 2017-11-30 12:00`}},
		{"hour and pm", "on 2017-11-30 5pm it broke", []string{`"2017-11-30 5pm" 2017-11-30 17:00`}},
		{"lenient 13:20pm", "2018-01-17 13:20pm", []string{`"2018-01-17 13:20pm" 2018-01-17 13:20`}},
		{"at", "2017-11-30 at 3 pm", []string{`"2017-11-30 at 3 pm" 2017-11-30 15:00`}},
		{"at sign", "2017-11-30 @ 15:00", []string{`"2017-11-30 @ 15:00" 2017-11-30 15:00`}},
		{"around", "2017-11-30 around 3pm", []string{`"2017-11-30 around 3pm" 2017-11-30 15:00`}},
		{"comma before time", "2017-11-30, 3 pm outage", []string{`"2017-11-30, 3 pm" 2017-11-30 15:00`}},
		{"tilde", "2017-11-30 ~17:05", []string{`"2017-11-30 ~17:05" 2017-11-30 17:05`}},
		{"at approximately", "On November 3rd, 2021 at approximately 22:40 UTC the queue stalled", []string{
			`"November 3rd, 2021 at approximately 22:40 UTC" 2021-11-03 22:40 UTC +00:00 zone=UTC`}},
		{"at approx.", "2021-11-03 at approx. 22:40", []string{`"2021-11-03 at approx. 22:40" 2021-11-03 22:40`}},
		{"number after date is not a time", "2019-12-27 5 servers", []string{`"2019-12-27" 2019-12-27`}},
		{"invalid time falls back to date", "2019-12-27 25:61", []string{`"2019-12-27" 2019-12-27`}},
		{"glued letters fall back to date", "2019-12-27 15:15abc", []string{`"2019-12-27" 2019-12-27`}},
		{"too many colons", "2019-12-27 15:15:30:40", []string{`"2019-12-27" 2019-12-27`}},

		// Zones.
		{"generic PT in winter", "2019-12-27 15:15 PT: x", []string{`"2019-12-27 15:15 PT" 2019-12-27 15:15 PST -08:00 zone=PT`}},
		{"generic PT in summer", "2019-07-27 15:15 PT", []string{`"2019-07-27 15:15 PT" 2019-07-27 15:15 PDT -07:00 zone=PT`}},
		{"PDT as written", "2019-12-27 15:15 PDT", []string{`"2019-12-27 15:15 PDT" 2019-12-27 15:15 PDT -07:00 zone=PDT`}},
		{"CET in summer stays +1", "2019-07-01 09:00 CET", []string{`"2019-07-01 09:00 CET" 2019-07-01 09:00 CET +01:00 zone=CET`}},
		{"CEST", "2019-07-01 09:00 CEST", []string{`"2019-07-01 09:00 CEST" 2019-07-01 09:00 CEST +02:00 zone=CEST`}},
		{"IST", "2019-07-01 09:00 IST", []string{`"2019-07-01 09:00 IST" 2019-07-01 09:00 IST +05:30 zone=IST`}},
		{"paren BST", "2019-07-01 5:00 PM (BST)", []string{`"2019-07-01 5:00 PM (BST)" 2019-07-01 17:00 BST +01:00 zone=BST`}},
		{"paren UTC+2", "2019-07-01 17:00 (UTC+2) x", []string{`"2019-07-01 17:00 (UTC+2)" 2019-07-01 17:00 +02:00 +02:00 zone=UTC+2`}},
		{"GMT-5", "2019-07-01 17:00 GMT-5", []string{`"2019-07-01 17:00 GMT-5" 2019-07-01 17:00 -05:00 -05:00 zone=GMT-5`}},
		{"UTC+05:30", "2019-07-01 17:00 UTC+05:30", []string{`"2019-07-01 17:00 UTC+05:30" 2019-07-01 17:00 +05:30 +05:30 zone=UTC+05:30`}},
		{"spaced offset", "2019-07-01 18:53 +02:00", []string{`"2019-07-01 18:53 +02:00" 2019-07-01 18:53 +02:00 +02:00 zone=+02:00`}},
		{"spaced -0500", "2019-07-01 18:53 -0500", []string{`"2019-07-01 18:53 -0500" 2019-07-01 18:53 -05:00 -05:00 zone=-0500`}},
		{"Pacific time", "2019-07-01 18:53 Pacific time, then", []string{`"2019-07-01 18:53 Pacific time" 2019-07-01 18:53 PDT -07:00 zone=Pacific`}},
		{"lower-case abbreviation is a word", "2019-07-01 18:53 et al", []string{`"2019-07-01 18:53" 2019-07-01 18:53`}},
		{"lower-case utc", "2019-07-01 18:53 utc", []string{`"2019-07-01 18:53 utc" 2019-07-01 18:53 UTC +00:00 zone=utc`}},
		{"unknown capitals are not a zone", "2019-07-01 18:53 DNS failed", []string{`"2019-07-01 18:53" 2019-07-01 18:53`}},
		{"RFC 1123", "Date: Tue, 12 Aug 2025 10:00:00 +0000", []string{`"Tue, 12 Aug 2025 10:00:00 +0000" 2025-08-12 10:00 UTC +00:00 zone=+0000`}},

		// Numeric day-first and month-first.
		{"DMY", "24-10-2024 - All instances down", []string{`"24-10-2024" 2024-10-24 DMY`}},
		{"MDY", "10/24/2024", []string{`"10/24/2024" 2024-10-24 MDY`}},
		{"ambiguous", "03-04-2024", []string{`"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`}},
		{"same either way", "05.05.2024", []string{`"05.05.2024" 2024-05-05 DMY`}},
		{"dots", "24.10.2024", []string{`"24.10.2024" 2024-10-24 DMY`}},
		{"numeric with time", "24/10/2024 14:05 UTC", []string{`"24/10/2024 14:05 UTC" 2024-10-24 14:05 UTC +00:00 DMY zone=UTC`}},
		{"two-digit year", "03/04/24 and 24-10-24", nil},
		{"mixed separators", "03-04/2024", nil},
		{"invalid in the only reading", "04/31/2024", nil},

		// Month names.
		{"month day year", "August 12 2025", []string{`"August 12 2025" 2025-08-12`}},
		{"month day comma year", "on August 12, 2025.", []string{`"August 12, 2025" 2025-08-12`}},
		{"day month year", "12 August 2025", []string{`"12 August 2025" 2025-08-12`}},
		{"ordinal", "Aug 12th, 2025", []string{`"Aug 12th, 2025" 2025-08-12`}},
		{"of", "the 12th of August 2025", []string{`"12th of August 2025" 2025-08-12`}},
		{"weekday", "Saturday, March 10, 2018", []string{`"Saturday, March 10, 2018" 2018-03-10`}},
		{"weekday iso", "Wednesday, 2018-08-22 - Deploy", []string{`"Wednesday, 2018-08-22" 2018-08-22`}},
		{"weekday no comma", "Tuesday 2019-01-01", []string{`"Tuesday 2019-01-01" 2019-01-01`}},
		{"abbreviation period", "Sept. 18th, 2017", []string{`"Sept. 18th, 2017" 2017-09-18`}},
		{"Nov.", "Nov. 3, 2021", []string{`"Nov. 3, 2021" 2021-11-03`}},
		{"upper case", "AUGUST 12, 2025", []string{`"AUGUST 12, 2025" 2025-08-12`}},
		{"day-month-year dashes", "12-Aug-2025", []string{`"12-Aug-2025" 2025-08-12`}},
		{"no year with time", "Feb 28th 01:52 restart", []string{`"Feb 28th 01:52" --02-28 01:52 noyear`}},
		{"no year", "on Feb 28 we", []string{`"Feb 28" --02-28 noyear`}},
		{"no year Feb 29", "Feb 29", []string{`"Feb 29" --02-29 noyear`}},
		{"no year day first", "the 1st of May, we", []string{`"1st of May" --05-01 noyear`}},
		{"no year at time zone", "Feb 28 at 01:52 UTC", []string{`"Feb 28 at 01:52 UTC" --02-28 01:52 UTC +00:00 noyear zone=UTC`}},
		{"month year", "in October 2024 we", []string{`"October 2024" Oct 2024`}},
		{"abbreviated month year", "Oct 2024 / Oct. 2024 / October, 2024", []string{
			`"Oct 2024" Oct 2024`, `"Oct. 2024" Oct 2024`, `"October, 2024" Oct 2024`}},
		{"month-year dashes", "jan-2019 and 2019-jan", []string{`"jan-2019" Jan 2019`, `"2019-jan" Jan 2019`}},
		{"verb may without year", "we may 3 times; you march 2 teams", nil},
		{"verb may with year", "may 3 2024", []string{`"may 3 2024" 2024-05-03`}},
		{"capital May without year", "May 3", []string{`"May 3" --05-03 noyear`}},
		{"glued month", "Aug12 and Augustus 12", nil},

		// Not dates.
		{"bare year", "2019 requests failed in 2019", nil},
		{"year and month digits", "release 2024-10 shipped", nil},
		{"version", "v2.2019 and v1.2.2019 and 0.6.dev020170821165952", nil},
		{"ip", "10.0.0.1 and 192.168.2019.12 and 10.10.2019.5", nil},
		{"phone", "call 555-12-2019-555 or +1 555 2019", nil},
		{"identifier", "job 123-2019-10-11-abc", nil},
		{"time alone", "at 10:00 and 5pm", nil},
		{"letters before", "x2019-01-01 and ééé2019-01-01 and 2019-01-01é", nil},
		{"glued digits after", "2019-12-27.5 and 2019-12-27-4", nil},
		{"year out of range", "1899-01-01 and 2200-01-01", nil},

		// Invalid calendar dates.
		{"Feb 30", "2023-02-30", nil},
		{"31 April is skipped whole", "31 April 2023", nil},
		{"April 31", "April 31, 2023", nil},
		{"Feb 29 not leap", "2023-02-29 and 2024-02-29", []string{`"2024-02-29" 2024-02-29`}},
		{"month 13", "2023-13-01", nil},

		// Ranges.
		{"same-day end with zone at end", "2019-09-12 19:59 - 20:52 ET: disk full", []string{
			`"2019-09-12 19:59 - 20:52 ET" 2019-09-12 19:59 EDT -04:00 .. 2019-09-12 20:52 EDT -04:00 zone=ET`}},
		{"two full ends", "2016-12-23 11:50pm PST - 2016-12-24 6:30am PST", []string{
			`"2016-12-23 11:50pm PST - 2016-12-24 6:30am PST" 2016-12-23 23:50 PST -08:00 .. 2016-12-24 06:30 PST -08:00 zone=PST`}},
		{"times with zones", "2017-02-13 6:00pm PST - 6:30pm PST", []string{
			`"2017-02-13 6:00pm PST - 6:30pm PST" 2017-02-13 18:00 PST -08:00 .. 2017-02-13 18:30 PST -08:00 zone=PST`}},
		{"tilde range", "2017-02-13 ~5:00pm PST - 5:30pm PST", []string{
			`"2017-02-13 ~5:00pm PST - 5:30pm PST" 2017-02-13 17:00 PST -08:00 .. 2017-02-13 17:30 PST -08:00 zone=PST`}},
		{"past midnight", "2023-01-07 22:00 – 02:15 UTC", []string{
			`"2023-01-07 22:00 – 02:15 UTC" 2023-01-07 22:00 UTC +00:00 .. 2023-01-08 02:15 UTC +00:00 zone=UTC`}},
		{"start zone goes to end", "2023-01-07 10:00 UTC - 11:00", []string{
			`"2023-01-07 10:00 UTC - 11:00" 2023-01-07 10:00 UTC +00:00 .. 2023-01-07 11:00 UTC +00:00 zone=UTC`}},
		{"glued time range", "2019-12-27 10:00-11:00 restart", []string{`"2019-12-27 10:00-11:00" 2019-12-27 10:00 .. 2019-12-27 11:00`}},
		{"dash then time", "2019-12-27 10:00 -11:00", []string{`"2019-12-27 10:00 -11:00" 2019-12-27 10:00 .. 2019-12-27 11:00`}},
		{"em dash and to", "2019-12-27 10:00 — 11:00 and 2019-12-28 10:00 to 11:00", []string{
			`"2019-12-27 10:00 — 11:00" 2019-12-27 10:00 .. 2019-12-27 11:00`,
			`"2019-12-28 10:00 to 11:00" 2019-12-28 10:00 .. 2019-12-28 11:00`}},
		{"until", "2019-12-27 until 2019-12-30", []string{`"2019-12-27 until 2019-12-30" 2019-12-27 .. 2019-12-30`}},
		{"day range", "March 3–5, 2024", []string{`"March 3–5, 2024" 2024-03-03 .. 2024-03-05`}},
		{"day range hyphen", "March 3-5, 2024 outage", []string{`"March 3-5, 2024" 2024-03-03 .. 2024-03-05`}},
		{"day range day first", "3–5 March 2024", []string{`"3–5 March 2024" 2024-03-03 .. 2024-03-05`}},
		{"day range no year", "March 3–5", []string{`"March 3–5" --03-03 .. --03-05 noyear`}},
		{"month range one year", "March 30 – April 2, 2024", []string{`"March 30 – April 2, 2024" 2024-03-30 .. 2024-04-02`}},
		{"range over new year", "Dec 30 - Jan 2, 2024", []string{`"Dec 30 - Jan 2, 2024" 2023-12-30 .. 2024-01-02`}},
		{"month range", "Oct 2024 – Jan 2025", []string{`"Oct 2024 – Jan 2025" Oct 2024 .. Jan 2025`}},
		{"end before start dropped", "2019-01-05 to 2019-01-03", []string{`"2019-01-05 to 2019-01-03" 2019-01-05`}},
		{"day range backwards dropped", "March 5–3, 2024", []string{`"March 5–3, 2024" 2024-03-05`}},
		{"day range past month end", "March 3-35, 2024", nil},
		{"not a range", "2019-12-27 - All hands", []string{`"2019-12-27" 2019-12-27`}},
		{"second range after comma ignored", "2017-02-22 5:00am PST, 9:45am - 11:00am PST", []string{
			`"2017-02-22 5:00am PST" 2017-02-22 05:00 PST -08:00 zone=PST`}},
		{"range settles order", "03-04-2024 - 25-04-2024", []string{`"03-04-2024 - 25-04-2024" 2024-04-03 .. 2024-04-25 DMY`}},
		{"range direction settles order", "03-04-2024 - 04-03-2024", []string{`"03-04-2024 - 04-03-2024" 2024-03-04 .. 2024-04-03 MDY`}},
		{"ambiguous range", "03-04-2024 - 05-04-2024", []string{`"03-04-2024 - 05-04-2024" 2024-04-03 .. 2024-04-05 DMY ambiguous alt=2024-03-04`}},

		// Several in a row.
		{"prose", "incident date: 2019-02-20, logs unavailable", []string{`"2019-02-20" 2019-02-20`}},
		{"title with date inside", "Incident report August 12 2025 - Database slow", []string{`"August 12 2025" 2025-08-12`}},
		{"several", "From 2019-02-20 to 2019-02-21 and again on March 3, 2019.", []string{
			`"2019-02-20 to 2019-02-21" 2019-02-20 .. 2019-02-21`, `"March 3, 2019" 2019-03-03`}},
		{"url path", "https://example.com/blog/2019/12/27/outage", []string{`"2019/12/27" 2019-12-27`}},
		{"markdown emphasis", "**2019-12-27** _Oct 2024_", []string{`"2019-12-27" 2019-12-27`, `"Oct 2024" Oct 2024`}},
		{"no-break space", "August\u00a012,\u00a02025", []string{`"August\u00a012,\u00a02025" 2025-08-12`}},
		{"narrow no-break space before PM", "2019-12-27 5:00\u202fPM", []string{`"2019-12-27 5:00\u202fPM" 2019-12-27 17:00`}},
		{"line break ends a date", "August 12,\n2025", []string{`"August 12" --08-12 noyear`}},
		{"invalid utf-8", "\xff2019-12-27\xfe and \xc3", []string{`"2019-12-27" 2019-12-27`}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := Find(tt.text, Options{})
			checkMatches(t, tt.text, ms)
			got := describeAll(tt.text, ms)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Find(%q)\n got: %s\nwant: %s", tt.text, strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

// TestFindLocation checks that Options.Location applies only to dates that
// name no zone.
func TestFindLocation(t *testing.T) {
	loc := time.FixedZone("X", 3*3600)
	tests := []struct {
		text string
		want string
	}{
		{"2019-12-27", "2019-12-27T00:00:00+03:00"},
		{"2019-12-27 10:00", "2019-12-27T10:00:00+03:00"},
		{"2019-12-27 10:00 UTC", "2019-12-27T10:00:00Z"},
		{"Oct 2024", "2024-10-01T00:00:00+03:00"},
	}
	for _, tt := range tests {
		ms := Find(tt.text, Options{Location: loc})
		if len(ms) != 1 {
			t.Errorf("Find(%q) = %d matches, want 1", tt.text, len(ms))
			continue
		}
		if got := ms[0].Start.Time.Format(time.RFC3339); got != tt.want {
			t.Errorf("Find(%q).Start = %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestLeading(t *testing.T) {
	tests := []struct {
		text string
		want string // "" when not leading
		rest string
	}{
		{"2019-12-27 15:15 PT: fetch failing", `"2019-12-27 15:15 PT" 2019-12-27 15:15 PST -08:00 zone=PT`, "fetch failing"},
		{"2017-09-27, Hub 403", `"2017-09-27" 2017-09-27`, "Hub 403"},
		{"24-10-2024 - All instances down", `"24-10-2024" 2024-10-24 DMY`, "All instances down"},
		{"2018-02-22 NGINX crash", `"2018-02-22" 2018-02-22`, "NGINX crash"},
		{"2017-11-30 4:23PM PST, OOM Proxy", `"2017-11-30 4:23PM PST" 2017-11-30 16:23 PST -08:00 zone=PST`, "OOM Proxy"},
		{"2019-09-12 19:59 - 20:52 ET: disk full", `"2019-09-12 19:59 - 20:52 ET" 2019-09-12 19:59 EDT -04:00 .. 2019-09-12 20:52 EDT -04:00 zone=ET`, "disk full"},
		{"  ~2019-02-20: outage", `"2019-02-20" 2019-02-20`, "outage"},
		{"(2019-02-20) outage", `"2019-02-20" 2019-02-20`, "outage"},
		{"Wednesday, 2018-08-22 | Deploy", `"Wednesday, 2018-08-22" 2018-08-22`, "Deploy"},
		{"March 3–5, 2024 — Flood", `"March 3–5, 2024" 2024-03-03 .. 2024-03-05`, "Flood"},
		{"Oct 2024: quarterly review", `"Oct 2024" Oct 2024`, "quarterly review"},
		{"2024-10 - monthly report", `"2024-10" Oct 2024`, "monthly report"},
		{"2019-03-28 (and the week after): overload", `"2019-03-28" 2019-03-28`, "(and the week after): overload"},
		{"2019-03-28. Overload", `"2019-03-28" 2019-03-28`, "Overload"},
		{"2019-12-27", `"2019-12-27" 2019-12-27`, ""},
		{"incident date: 2019-02-20, logs unavailable", "", ""},
		{"Incident report August 12 2025 - Database slow", "", ""},
		{"2023 - the year in review", "", ""},
		{"2019-12-27x outage", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		m, rest, ok := Leading(tt.text, Options{})
		got := ""
		if ok {
			got = describe(tt.text, m)
		}
		if got != tt.want || rest != tt.rest {
			t.Errorf("Leading(%q)\n got: %s rest %q\nwant: %s rest %q", tt.text, got, rest, tt.want, tt.rest)
		}
		if ok && !strings.HasSuffix(tt.text, rest) {
			t.Errorf("Leading(%q): rest %q is not a suffix", tt.text, rest)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		want string // "" when not a date
	}{
		{"2023", `"2023" 2023`},
		{" 2023. ", `"2023" 2023`},
		{"October 2024", `"October 2024" Oct 2024`},
		{"oct 2024", `"oct 2024" Oct 2024`},
		{"2024-10", `"2024-10" Oct 2024`},
		{"2024/10", `"2024/10" Oct 2024`},
		{"jan-2019", `"jan-2019" Jan 2019`},
		{"2019-jan", `"2019-jan" Jan 2019`},
		{"2019-12-27", `"2019-12-27" 2019-12-27`},
		{"2019-12-27T15:15:00Z", `"2019-12-27T15:15:00Z" 2019-12-27 15:15 UTC +00:00 zone=Z`},
		{"Saturday, March 10, 2018.", `"Saturday, March 10, 2018" 2018-03-10`},
		{"~2019-12-27", `"2019-12-27" 2019-12-27`},
		{"2019-03-28 (and the week thereof)", `"2019-03-28" 2019-03-28`},
		{"(2019-03-28)", `"2019-03-28" 2019-03-28`},
		{"2019-12-27 10:00 (PST)", `"2019-12-27 10:00 (PST)" 2019-12-27 10:00 PST -08:00 zone=PST`},
		{"2019-12-27 10:00 a.m.", `"2019-12-27 10:00 a.m" 2019-12-27 10:00`},
		{"03-04-2024", `"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`},
		{"Feb 28th 01:52", `"Feb 28th 01:52" --02-28 01:52 noyear`},
		{"may 2024", `"may 2024" May 2024`},
		{"2019-12-27 and more", ""},
		{"the 2019-12-27", ""},
		{"20191227", ""},
		{"2023-02-30", ""},
		{"12345", ""},
		{"()", ""},
		{"", ""},
		{"(", ""},
		{".", ""},
	}
	for _, tt := range tests {
		m, ok := Parse(tt.text, Options{})
		got := ""
		if ok {
			got = describe(tt.text, m)
		}
		if got != tt.want {
			t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.text, got, tt.want)
		}
	}
}

func TestTimeOfDay(t *testing.T) {
	tests := []struct {
		text    string
		h, m, s int
		zone    string
		offset  int // seconds east of UTC, when zone is set
		n       int
		ok      bool
	}{
		{"14:05", 14, 5, 0, "", 0, 5, true},
		{"14:05 restarted", 14, 5, 0, "", 0, 5, true},
		{"5:00 PM", 17, 0, 0, "", 0, 7, true},
		{"5pm", 17, 0, 0, "", 0, 3, true},
		{"12am", 0, 0, 0, "", 0, 4, true},
		{"14:05:09", 14, 5, 9, "", 0, 8, true},
		{"14:05 UTC", 14, 5, 0, "UTC", 0, 9, true},
		{"5:00 PM (BST): paged", 17, 0, 0, "BST", 3600, 13, true},
		{"18:53 +02:00", 18, 53, 0, "+02:00", 7200, 12, true},
		{"  9:30 PT", 9, 30, 0, "PT", -8 * 3600, 9, true},
		{"14:05-14:30", 14, 5, 0, "", 0, 5, true},
		{"13:20pm", 13, 20, 0, "", 0, 7, true},
		{"1405Z", 0, 0, 0, "", 0, 0, false},
		{"1405", 0, 0, 0, "", 0, 0, false},
		{"5", 0, 0, 0, "", 0, 0, false},
		{"14:05abc", 0, 0, 0, "", 0, 0, false},
		{"24:00", 0, 0, 0, "", 0, 0, false},
		{"13pm", 0, 0, 0, "", 0, 0, false},
		{"9:5", 0, 0, 0, "", 0, 0, false},
		{"", 0, 0, 0, "", 0, 0, false},
	}
	for _, tt := range tests {
		h, m, s, loc, zone, n, ok := TimeOfDay(tt.text)
		if h != tt.h || m != tt.m || s != tt.s || zone != tt.zone || n != tt.n || ok != tt.ok {
			t.Errorf("TimeOfDay(%q) = %d:%d:%d %q n=%d %v, want %d:%d:%d %q n=%d %v",
				tt.text, h, m, s, zone, n, ok, tt.h, tt.m, tt.s, tt.zone, tt.n, tt.ok)
			continue
		}
		if (loc != nil) != (tt.zone != "") {
			t.Errorf("TimeOfDay(%q): location %v for zone %q", tt.text, loc, tt.zone)
			continue
		}
		if loc != nil {
			// A winter date: generic names are at their standard offset.
			_, off := time.Date(2024, 1, 15, 12, 0, 0, 0, loc).Zone()
			if off != tt.offset {
				t.Errorf("TimeOfDay(%q): offset %d, want %d", tt.text, off, tt.offset)
			}
		}
	}
}

func TestDateString(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{Time: time.Date(2023, 1, 1, 0, 0, 0, 0, utc), Precision: Year}, "2023"},
		{Date{Time: time.Date(2023, 10, 1, 0, 0, 0, 0, utc), Precision: Month}, "Oct 2023"},
		{Date{Time: time.Date(2023, 10, 5, 0, 0, 0, 0, utc), Precision: Day}, "2023-10-05"},
		{Date{Time: time.Date(2023, 10, 5, 14, 5, 0, 0, utc), Precision: Minute}, "2023-10-05 14:05"},
		{Date{Time: time.Date(2023, 10, 5, 14, 5, 9, 0, utc), Precision: Minute}, "2023-10-05 14:05:09"},
		{Date{Time: time.Date(2023, 10, 5, 14, 5, 0, 0, time.FixedZone("PDT", -7*3600)), Precision: Minute, Zoned: true, Zone: "PDT"}, "2023-10-05 14:05 PDT"},
		{Date{Time: time.Date(2023, 10, 5, 14, 5, 0, 0, time.FixedZone("", 5*3600+1800)), Precision: Minute, Zoned: true, Zone: "+05:30"}, "2023-10-05 14:05 +05:30"},
		{Date{Time: time.Date(2023, 10, 5, 14, 5, 0, 0, time.FixedZone("+08", 8*3600)), Precision: Minute, Zoned: true, Zone: "SGT"}, "2023-10-05 14:05 +08:00"},
		{Date{Time: time.Date(0, 2, 28, 0, 0, 0, 0, utc), Precision: Day}, "--02-28"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestContains(t *testing.T) {
	utc := time.UTC
	pdt := time.FixedZone("PDT", -7*3600)
	day := Date{Time: time.Date(2023, 10, 5, 0, 0, 0, 0, utc), Precision: Day}
	minute := Date{Time: time.Date(2023, 10, 5, 14, 5, 0, 0, pdt), Precision: Minute, Zoned: true}
	tests := []struct {
		name string
		d    Date
		t    time.Time
		want bool
	}{
		{"year in", Date{Time: time.Date(2023, 1, 1, 0, 0, 0, 0, utc), Precision: Year}, time.Date(2023, 12, 31, 23, 59, 0, 0, utc), true},
		{"year out", Date{Time: time.Date(2023, 1, 1, 0, 0, 0, 0, utc), Precision: Year}, time.Date(2024, 1, 1, 0, 0, 0, 0, utc), false},
		{"month in", Date{Time: time.Date(2023, 2, 1, 0, 0, 0, 0, utc), Precision: Month}, time.Date(2023, 2, 28, 0, 0, 0, 0, utc), true},
		{"month out", Date{Time: time.Date(2023, 2, 1, 0, 0, 0, 0, utc), Precision: Month}, time.Date(2023, 3, 1, 0, 0, 0, 0, utc), false},
		{"day start", day, day.Time, true},
		{"day end", day, time.Date(2023, 10, 5, 23, 59, 59, 0, utc), true},
		{"day after", day, time.Date(2023, 10, 6, 0, 0, 0, 0, utc), false},
		{"day before", day, time.Date(2023, 10, 4, 23, 59, 0, 0, utc), false},
		{"day in another zone", day, time.Date(2023, 10, 4, 20, 0, 0, 0, pdt), true},
		{"minute same", minute, time.Date(2023, 10, 5, 21, 5, 30, 0, utc), true},
		{"minute next", minute, time.Date(2023, 10, 5, 21, 6, 0, 0, utc), false},
		{"none", Date{}, time.Time{}, false},
	}
	for _, tt := range tests {
		if got := tt.d.Contains(tt.t); got != tt.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestSettle(t *testing.T) {
	find := func(text string) []Match { return Find(text, Options{}) }
	day := func(y, m, d int) Date {
		return Date{Time: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), Precision: Day}
	}
	month := func(y, m int) Date {
		return Date{Time: time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), Precision: Month}
	}
	tests := []struct {
		name   string
		text   string
		others []Date
		want   []string
		all    bool
	}{
		{"day first revealed", "03-04-2024 then 24-10-2024", nil,
			[]string{`"03-04-2024" 2024-04-03 DMY`, `"24-10-2024" 2024-10-24 DMY`}, true},
		{"month first revealed", "03-04-2024 then 10/24/2024", nil,
			[]string{`"03-04-2024" 2024-03-04 MDY`, `"10/24/2024" 2024-10-24 MDY`}, true},
		{"range flips whole", "03-04-2024 - 05-04-2024 then 10/24/2024", nil,
			[]string{`"03-04-2024 - 05-04-2024" 2024-03-04 .. 2024-05-04 MDY`, `"10/24/2024" 2024-10-24 MDY`}, true},
		{"same numbers reveal nothing", "03-04-2024 then 05-05-2024", nil,
			[]string{`"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`, `"05-05-2024" 2024-05-05 DMY`}, false},
		{"mixed orders reveal nothing", "03-04-2024, 24-10-2024, 10/25/2024", nil,
			[]string{`"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`, `"24-10-2024" 2024-10-24 DMY`, `"10/25/2024" 2024-10-25 MDY`}, false},
		{"near another date", "03-04-2024", []Date{day(2024, 3, 5)},
			[]string{`"03-04-2024" 2024-03-04 MDY`}, true},
		{"near the first reading", "03-04-2024", []Date{day(2024, 4, 2)},
			[]string{`"03-04-2024" 2024-04-03 DMY`}, true},
		{"inside a month", "03-04-2024", []Date{month(2024, 4)},
			[]string{`"03-04-2024" 2024-04-03 DMY`}, true},
		{"near both", "03-04-2024", []Date{day(2024, 3, 4), day(2024, 4, 3)},
			[]string{`"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`}, false},
		{"near neither", "03-04-2024", []Date{day(2019, 1, 1), {}},
			[]string{`"03-04-2024" 2024-04-03 DMY ambiguous alt=2024-03-04`}, false},
		{"nothing to settle", "2024-04-03", nil, []string{`"2024-04-03" 2024-04-03`}, true},
	}
	for _, tt := range tests {
		ms := find(tt.text)
		all := Settle(ms, tt.others)
		got := describeAll(tt.text, ms)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || all != tt.all {
			t.Errorf("%s: Settle\n got: %s (%v)\nwant: %s (%v)", tt.name, strings.Join(got, "\n      "), all, strings.Join(tt.want, "\n      "), tt.all)
		}
	}
}

func TestLookupZone(t *testing.T) {
	jan := func(loc *time.Location) int { _, off := time.Date(2024, 1, 15, 12, 0, 0, 0, loc).Zone(); return off }
	jul := func(loc *time.Location) int { _, off := time.Date(2024, 7, 15, 12, 0, 0, 0, loc).Zone(); return off }
	h := 3600
	tests := []struct {
		name     string
		win, sum int
		ok       bool
	}{
		{"UTC", 0, 0, true},
		{"gmt", 0, 0, true},
		{"Z", 0, 0, true},
		{"PT", -8 * h, -7 * h, true},
		{"Pacific", -8 * h, -7 * h, true},
		{"PST", -8 * h, -8 * h, true},
		{"PDT", -7 * h, -7 * h, true},
		{"ET", -5 * h, -4 * h, true},
		{"EST", -5 * h, -5 * h, true},
		{"EDT", -4 * h, -4 * h, true},
		{"CT", -6 * h, -5 * h, true},
		{"CST", -6 * h, -6 * h, true},
		{"CDT", -5 * h, -5 * h, true},
		{"MT", -7 * h, -6 * h, true},
		{"MST", -7 * h, -7 * h, true},
		{"MDT", -6 * h, -6 * h, true},
		{"CET", h, h, true},
		{"CEST", 2 * h, 2 * h, true},
		{"BST", h, h, true},
		{"EET", 2 * h, 2 * h, true},
		{"EEST", 3 * h, 3 * h, true},
		{"WET", 0, 0, true},
		{"WEST", h, h, true},
		{"JST", 9 * h, 9 * h, true},
		{"KST", 9 * h, 9 * h, true},
		{"AEST", 10 * h, 10 * h, true},
		{"AEDT", 11 * h, 11 * h, true},
		{"NZST", 12 * h, 12 * h, true},
		{"NZDT", 13 * h, 13 * h, true},
		{"IST", 5*h + 1800, 5*h + 1800, true},
		{"SGT", 8 * h, 8 * h, true},
		{"HKT", 8 * h, 8 * h, true},
		{"+02:00", 2 * h, 2 * h, true},
		{"+0200", 2 * h, 2 * h, true},
		{"-05", -5 * h, -5 * h, true},
		{"UTC+2", 2 * h, 2 * h, true},
		{"GMT-5", -5 * h, -5 * h, true},
		{"UTC+05:30", 5*h + 1800, 5*h + 1800, true},
		{"UTC+0530", 5*h + 1800, 5*h + 1800, true},
		{" utc-3 ", -3 * h, -3 * h, true},
		{"+15", 0, 0, false},
		{"+02:60", 0, 0, false},
		{"+2:00:00", 0, 0, false},
		{"UTC+", 0, 0, false},
		{"XYZ", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		loc, ok := LookupZone(tt.name)
		if ok != tt.ok {
			t.Errorf("LookupZone(%q) ok = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if w, s := jan(loc), jul(loc); w != tt.win || s != tt.sum {
			t.Errorf("LookupZone(%q): offsets %d/%d, want %d/%d", tt.name, w, s, tt.win, tt.sum)
		}
	}
}

// TestPosixLocation checks the rule used when tzdata is missing, which the
// machine running the tests may well have.
func TestPosixLocation(t *testing.T) {
	for _, name := range []string{"PT", "MT", "CT", "ET"} {
		z, _ := ruleZoneFor(name)
		loc := posixLocation(z.tz, z.rule)
		std, dst, off := splitRule(z.rule)
		tests := []struct {
			t    time.Time
			name string
			off  int
		}{
			{time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC), std, off},
			{time.Date(2024, 7, 15, 12, 0, 0, 0, time.UTC), dst, off + 3600},
			// The second Sunday of March 2024 is the 10th; the first of
			// November the 3rd.
			{time.Date(2024, 3, 9, 12, 0, 0, 0, time.UTC), std, off},
			{time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC), dst, off + 3600},
			{time.Date(2024, 11, 2, 12, 0, 0, 0, time.UTC), dst, off + 3600},
			{time.Date(2024, 11, 4, 12, 0, 0, 0, time.UTC), std, off},
		}
		for _, tt := range tests {
			name, o := tt.t.In(loc).Zone()
			if name != tt.name || o != tt.off {
				t.Errorf("%s at %s: %s %d, want %s %d", z.rule, tt.t.Format(time.DateOnly), name, o, tt.name, tt.off)
			}
		}
	}
}

// TestLongInputs checks that hostile inputs of a megabyte finish and give
// sane results; a scan that rescans would take minutes here.
func TestLongInputs(t *testing.T) {
	const n = 1 << 20
	inputs := map[string]string{
		"digits":       strings.Repeat("1", n),
		"letters":      strings.Repeat("a", n),
		"spaces":       "2019-12-27" + strings.Repeat(" ", n) + "10:00",
		"dates":        strings.Repeat("2019-12-27 ", n/11),
		"dashes":       strings.Repeat("2019-", n/5),
		"ranges":       strings.Repeat("March 3 - ", n/10),
		"dotted":       strings.Repeat("1.", n/2),
		"invalid utf8": strings.Repeat("\xff\xc3", n/2),
		"weekdays":     strings.Repeat("Monday, ", n/8),
		"times":        strings.Repeat("10:00 - ", n/8),
	}
	for name, text := range inputs {
		var ms []Match
		n := allocated(func() {
			ms = Find(text, Options{})
			Leading(text, Options{})
			Parse(text, Options{})
		})
		if n > 400*uint64(len(text))+(1<<20) {
			t.Errorf("%s: allocated %d bytes for %d bytes of input", name, n, len(text))
		}
		checkMatches(t, text, ms)
	}
}

// checkMatches checks what every result of Find must satisfy.
func checkMatches(t *testing.T, text string, ms []Match) {
	t.Helper()
	prev := 0
	for _, m := range ms {
		if m.Pos < prev || m.Pos >= m.EndPos || m.EndPos > len(text) {
			t.Fatalf("Find(%q): bad span %d..%d after %d", text, m.Pos, m.EndPos, prev)
		}
		if m.Start.Precision == None {
			t.Fatalf("Find(%q): match %d..%d without precision", text, m.Pos, m.EndPos)
		}
		if m.Ambiguous == m.Alt.IsZero() {
			t.Fatalf("Find(%q): Ambiguous %v with Alt %v", text, m.Ambiguous, m.Alt)
		}
		prev = m.EndPos
	}
}

func BenchmarkFind(b *testing.B) {
	text := strings.Repeat("On 2019-12-27 15:15 PT the hub failed; v2.2019 at 10.0.0.1, fixed August 12, 2025. ", 100)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Find(text, Options{})
	}
}

func TestNoHourZeroPM(t *testing.T) {
	if m, ok := Parse("2019-12-27 00:30 PM", Options{}); ok && m.Start.Precision == Minute {
		t.Errorf("00:30 PM read as %s", m.Start)
	}
	if m, ok := Parse("2019-12-27 00:30 AM", Options{}); !ok || m.Start.String() != "2019-12-27 00:30" {
		t.Errorf("00:30 AM read as %v %v", m.Start, ok)
	}
}

// allocated is how many bytes fn allocates: work counted, not timed, so
// a test passes on a busy machine.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestISO(t *testing.T) {
	at := time.Date(2023, 10, 5, 14, 5, 0, 0, time.UTC)
	for p, want := range map[Precision]string{None: "", Year: "2023", Month: "2023-10", Day: "2023-10-05", Minute: "2023-10-05T14:05:00Z"} {
		if got := (Date{Time: at, Precision: p}).ISO(); got != want {
			t.Errorf("ISO at %s = %q, want %q", p, got, want)
		}
	}
}
