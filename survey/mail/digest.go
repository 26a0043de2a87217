package mail

import (
	"bytes"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/sipas/sipas/survey"
)

// Digest is one official's weekly digest.
type Digest struct {
	User     string
	Week     string // the ISO week it is sent in, "2026-W49"
	From, To string // the week it is about, dd/mm/yyyy
	BaseURL  string
	Level    string // the intervals' confidence level, "95%"
	Scopes   []ScopeDigest
	// Alerts are the alerts of the week in the official's scope; AlertsOn
	// is false when the server has no alert store (the part is left out).
	Alerts   []AlertLine
	AlertsOn bool
	Overdue  []TaskLine
	Due      []TaskLine // due in the next 7 days
	Settings string     // the link to the notification settings
}

// ScopeDigest is one agency of the official's scope: its indices.
type ScopeDigest struct {
	Code, Name, Link string
	Rows             []IndexRow
}

// AlertLine is one alert in a mail.
type AlertLine struct {
	Agency, Message, Link string
}

// TaskLine is one plan task in a digest.
type TaskLine struct {
	Title, Responsible, Due, Link string
}

// alertLine is an alert with its dashboard link made absolute.
func alertLine(base string, a *survey.Alert) AlertLine {
	return AlertLine{Agency: a.AgencyName, Message: a.Message, Link: base + a.Link}
}

var digestText = texttemplate.Must(texttemplate.New("digest").Parse(`Kính gửi {{.User}},

Đây là bản tin tuần của SIPAS về mức độ hài lòng trong phạm vi của anh/chị, tuần {{.From}} – {{.To}}.
{{range .Scopes}}
== {{.Name}} ({{.Code}}) ==
{{range .Rows}}- {{.Period}}, {{.Instrument}}: {{if .Reportable}}chỉ số {{.Index}} (KTC {{.Level}}: {{.Interval}}; n = {{.N}}); {{.Change}}{{else}}chưa đủ dữ liệu (n = {{.N}}){{end}}
{{end}}Xem chi tiết: {{.Link}}
{{end}}{{if .AlertsOn}}
== Cảnh báo mới trong tuần ==
{{range .Alerts}}- {{.Agency}}: {{.Message}}
  {{.Link}}
{{else}}Không có cảnh báo mới.
{{end}}{{end}}
== Nhiệm vụ quá hạn ==
{{range .Overdue}}- {{.Title}} ({{.Responsible}}), hạn {{.Due}}: {{.Link}}
{{else}}Không có nhiệm vụ quá hạn.
{{end}}
== Nhiệm vụ đến hạn trong 7 ngày tới ==
{{range .Due}}- {{.Title}} ({{.Responsible}}), hạn {{.Due}}: {{.Link}}
{{else}}Không có nhiệm vụ đến hạn.
{{end}}
KTC: khoảng tin cậy {{.Level}}; n: số người trả lời. Chỉ số chỉ được nêu khi đủ dữ liệu, và mức thay đổi chỉ khi khoảng tin cậy cho thấy thay đổi thật.

Thay đổi việc nhận thư: {{.Settings}}
`))

var digestHTML = htmltemplate.Must(htmltemplate.New("digest").Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Bản tin tuần SIPAS</title></head>
<body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">
<p>Kính gửi {{.User}},</p>
<p>Đây là bản tin tuần của SIPAS về mức độ hài lòng trong phạm vi của anh/chị, tuần {{.From}} – {{.To}}.</p>
{{range .Scopes}}<h2 style="font-size:1.1em">{{.Name}} ({{.Code}})</h2>
<table style="border-collapse:collapse" cellpadding="4">
<tr><th align="left">Kỳ</th><th align="left">Bộ câu hỏi</th><th align="right">Chỉ số</th><th align="left">KTC</th><th align="right">n</th><th align="left">Thay đổi</th></tr>
{{range .Rows}}<tr><td>{{.Period}}</td><td>{{.Instrument}}</td>{{if .Reportable}}<td align="right">{{.Index}}</td><td>{{.Interval}}</td>{{else}}<td colspan="2">chưa đủ dữ liệu</td>{{end}}<td align="right">{{.N}}</td><td>{{if .Reportable}}{{.Change}}{{end}}</td></tr>
{{end}}</table>
<p><a href="{{.Link}}">Xem chi tiết {{.Name}}</a></p>
{{end}}{{if .AlertsOn}}<h2 style="font-size:1.1em">Cảnh báo mới trong tuần</h2>
{{if .Alerts}}<ul>{{range .Alerts}}<li>{{.Agency}}: {{.Message}} <a href="{{.Link}}">Xem</a></li>{{end}}</ul>{{else}}<p>Không có cảnh báo mới.</p>{{end}}
{{end}}<h2 style="font-size:1.1em">Nhiệm vụ quá hạn</h2>
{{if .Overdue}}<ul>{{range .Overdue}}<li><a href="{{.Link}}">{{.Title}}</a> ({{.Responsible}}), hạn {{.Due}}</li>{{end}}</ul>{{else}}<p>Không có nhiệm vụ quá hạn.</p>{{end}}
<h2 style="font-size:1.1em">Nhiệm vụ đến hạn trong 7 ngày tới</h2>
{{if .Due}}<ul>{{range .Due}}<li><a href="{{.Link}}">{{.Title}}</a> ({{.Responsible}}), hạn {{.Due}}</li>{{end}}</ul>{{else}}<p>Không có nhiệm vụ đến hạn.</p>{{end}}
<p style="font-size:.9em;color:#555">KTC: khoảng tin cậy {{.Level}}; n: số người trả lời. Chỉ số chỉ được nêu khi đủ dữ liệu, và mức thay đổi chỉ khi khoảng tin cậy cho thấy thay đổi thật.</p>
<p style="font-size:.9em"><a href="{{.Settings}}">Thay đổi việc nhận thư</a></p>
</body></html>
`))

// Message composes the digest as a mail to addr.
func (d *Digest) Message(addr string) (*Message, error) {
	var text, html bytes.Buffer
	if err := digestText.Execute(&text, d); err != nil {
		return nil, err
	}
	if err := digestHTML.Execute(&html, d); err != nil {
		return nil, err
	}
	return &Message{To: addr, Subject: "SIPAS: bản tin tuần " + d.From + " – " + d.To,
		Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String()}, nil
}

// AlertMail is the mail of new alerts in one official's scope.
type AlertMail struct {
	User     string
	Alerts   []AlertLine
	Settings string
}

var alertText = texttemplate.Must(texttemplate.New("alert").Parse(`Kính gửi {{.User}},

SIPAS vừa ghi nhận {{len .Alerts}} cảnh báo mới trong phạm vi của anh/chị:
{{range .Alerts}}
- {{.Agency}}: {{.Message}}
  {{.Link}}
{{end}}
Thay đổi việc nhận thư: {{.Settings}}
`))

var alertHTML = htmltemplate.Must(htmltemplate.New("alert").Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Cảnh báo SIPAS</title></head>
<body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">
<p>Kính gửi {{.User}},</p>
<p>SIPAS vừa ghi nhận {{len .Alerts}} cảnh báo mới trong phạm vi của anh/chị:</p>
<ul>{{range .Alerts}}<li>{{.Agency}}: {{.Message}} <a href="{{.Link}}">Xem</a></li>{{end}}</ul>
<p style="font-size:.9em"><a href="{{.Settings}}">Thay đổi việc nhận thư</a></p>
</body></html>
`))

// Message composes the alert mail to addr.
func (a *AlertMail) Message(addr string) (*Message, error) {
	var text, html bytes.Buffer
	if err := alertText.Execute(&text, a); err != nil {
		return nil, err
	}
	if err := alertHTML.Execute(&html, a); err != nil {
		return nil, err
	}
	subject := "SIPAS: cảnh báo mới"
	if len(a.Alerts) == 1 {
		subject += " tại " + a.Alerts[0].Agency
	} else {
		subject += " (" + strconv.Itoa(len(a.Alerts)) + ")"
	}
	return &Message{To: addr, Subject: subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String()}, nil
}
