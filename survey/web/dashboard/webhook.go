package dashboard

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/webhook"
)

// webhookDeliveriesShown is how many recent deliveries the page shows for
// each webhook.
const webhookDeliveriesShown = 20

// webhooksPage is the admins' page of webhooks: each subscription and its
// recent deliveries (status, attempts, last answer and error), a form to
// add one and a button to disable each.
type webhooksPage struct {
	dashBase
	W                *WebhookTexts
	Hooks            []webhookRow
	Flash, FormError string
	// The form, with what was typed when it was refused (never the secret).
	FormURL   string
	Events    []eventOption
	SecretMin int
	URLMax    int
}

// eventOption is one event's checkbox.
type eventOption struct {
	Value   string
	Checked bool
}

// webhookRow is one webhook and its recent deliveries.
type webhookRow struct {
	*survey.Webhook
	Events, Created, Status string
	Deliveries              []deliveryRow
}

// deliveryRow is one delivery of the log.
type deliveryRow struct {
	ID, Event, Status, StatusClass string
	Attempts                       int
	LastStatus                     int
	LastError, Created, Last, Next string
}

// Webhooks shows every webhook and its recent deliveries (admins).
func (h *Handler) Webhooks(c *gin.Context) error {
	p, err := h.webhooksPageData(c, nil)
	if err != nil {
		return err
	}
	switch c.Query("msg") {
	case "created":
		p.Flash = p.W.WhCreatedMsg
	case "disabled":
		p.Flash = p.W.WhDisabledMsg
	}
	c.Header("Cache-Control", "no-store")
	return h.render(c, http.StatusOK, "webhooks", p)
}

// WebhookCreate adds a webhook from the page's form (admins): post →
// validate → save → redirect, or the page again with the message and
// what was typed (but the secret).
func (h *Handler) WebhookCreate(c *gin.Context) error {
	f := c.Request.PostForm
	in := survey.WebhookInput{URL: strings.TrimSpace(f.Get("url")), Events: f["events"], Secret: f.Get("secret")}
	w, err := survey.ParseWebhook(in)
	if err == nil {
		err = webhook.CheckURL(c.Request.Context(), net.DefaultResolver, w.URL, h.WebhookAllowPrivate)
	}
	if err == nil {
		err = h.Store.CreateWebhook(c.Request.Context(), w, httpx.Actor(c))
	}
	if err != nil {
		if isInternal(err) {
			return err
		}
		p, perr := h.webhooksPageData(c, &in)
		if perr != nil {
			return perr
		}
		p.FormError = p.W.fieldMessage(err)
		return h.render(c, http.StatusBadRequest, "webhooks", p)
	}
	c.Redirect(http.StatusSeeOther, webhooksLink(httpx.Lang(c), "created"))
	return nil
}

// WebhookDisable stops a webhook (admins, audited), then redirects to the
// page.
func (h *Handler) WebhookDisable(c *gin.Context) error {
	wt := webhookTexts(httpx.Lang(c))
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fail(http.StatusNotFound, wt.WhNotFound)
	}
	if _, err := h.Store.DisableWebhook(c.Request.Context(), id, httpx.Actor(c)); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return fail(http.StatusNotFound, wt.WhNotFound)
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, webhooksLink(httpx.Lang(c), "disabled"))
	return nil
}

func webhooksLink(lang, msg string) string {
	u := "/dashboard/webhooks?msg=" + msg
	if lang == "en" {
		u += "&lang=en"
	}
	return u
}

// webhooksPageData reads every webhook and its recent deliveries; typed is
// the refused form's input (nil: a fresh form).
func (h *Handler) webhooksPageData(c *gin.Context, typed *survey.WebhookInput) (*webhooksPage, error) {
	ctx := c.Request.Context()
	wt := webhookTexts(httpx.Lang(c))
	hooks, err := h.Store.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	p := &webhooksPage{dashBase: h.dashBase(c, wt.WhTitle), W: wt, SecretMin: survey.MinWebhookSecret, URLMax: survey.MaxWebhookURL}
	checked := map[string]bool{}
	if typed != nil {
		p.FormURL = typed.URL
		for _, e := range typed.Events {
			checked[e] = true
		}
	}
	for _, e := range survey.WebhookEvents {
		p.Events = append(p.Events, eventOption{Value: e, Checked: checked[e]})
	}
	for _, w := range hooks {
		ds, err := h.Store.ListWebhookDeliveries(ctx, w.ID, webhookDeliveriesShown)
		if err != nil {
			return nil, err
		}
		row := webhookRow{Webhook: w, Events: strings.Join(w.Events, ", "), Created: clock(w.CreatedAt), Status: wt.WhActive}
		if w.Disabled {
			row.Status = wt.WhDisabled
		}
		for _, d := range ds {
			dr := deliveryRow{ID: d.ID, Event: d.Event, Status: wt.WhStatuses[d.Status], StatusClass: d.Status, Attempts: d.Attempts,
				LastStatus: d.LastStatus, LastError: d.LastError, Created: clock(d.CreatedAt)}
			if d.LastAttemptAt != nil {
				dr.Last = clock(*d.LastAttemptAt)
			}
			switch {
			case d.DeliveredAt != nil:
				dr.Next = wt.WhDeliveredAt + " " + clock(*d.DeliveredAt)
			case d.NextAttemptAt != nil:
				dr.Next = wt.WhNextAt + " " + clock(*d.NextAttemptAt)
			}
			row.Deliveries = append(row.Deliveries, dr)
		}
		p.Hooks = append(p.Hooks, row)
	}
	return p, nil
}

// fieldMessage says in the page's language which field of the form to fix.
func (t *WebhookTexts) fieldMessage(err error) string {
	var e *survey.Error
	if errors.As(err, &e) {
		for _, f := range []string{"url", "events", "secret"} {
			if e.Fields[f] != "" {
				return t.WhBadField[f]
			}
		}
	}
	_, msg := httpx.StatusOf(err)
	return msg
}

// clock is a time on the page: Vietnam time, to the second.
func clock(t time.Time) string { return t.In(survey.Vietnam).Format("2006-01-02 15:04:05") }

// WebhookTexts are the texts of the webhooks page.
type WebhookTexts struct {
	WhTitle, WhIntro, WhSecret, WhNone, WhNoDeliveries                string
	WhURL, WhEvents, WhCreated, WhState, WhActive, WhDisabled, WhHint string
	WhID, WhEvent, WhStatus, WhAttempts, WhAnswer, WhError, WhQueued  string
	WhLast, WhOutcome, WhNextAt, WhDeliveredAt, WhRecent              string
	WhStatuses                                                        map[string]string
	// The form, the disable button and the messages.
	WhAdd, WhAddButton, WhURLHint, WhSecretHint, WhDisable, WhCreatedMsg string
	WhDisabledMsg, WhNotFound                                            string
	WhEventNames, WhBadField                                             map[string]string
}

var webhookVI = WebhookTexts{
	WhTitle: "Webhook",
	WhIntro: "Các hệ thống khác nhận sự kiện (phiếu đánh giá mới, cảnh báo mới, nhiệm vụ quá hạn) qua webhook. " +
		"Mỗi lần gửi được ký bằng khóa bí mật; lần gửi không thành công được gửi lại trong 24 giờ. " +
		"Cũng có thể tạo và tắt webhook qua API (POST /api/v1/webhooks).",
	WhSecret:       "Khóa bí mật chỉ hiện một lần khi tạo; ở đây chỉ hiện vài ký tự cuối.",
	WhNone:         "Chưa có webhook nào.",
	WhNoDeliveries: "Chưa có lần gửi nào.",
	WhURL:          "Địa chỉ", WhEvents: "Sự kiện", WhCreated: "Tạo lúc", WhState: "Trạng thái",
	WhActive: "Đang hoạt động", WhDisabled: "Đã tắt", WhHint: "Khóa",
	WhID: "Mã lần gửi", WhEvent: "Sự kiện", WhStatus: "Kết quả", WhAttempts: "Số lần thử", WhAnswer: "Mã trả lời HTTP",
	WhError: "Lỗi gần nhất", WhQueued: "Xếp hàng lúc", WhLast: "Lần thử gần nhất", WhOutcome: "Tiếp theo",
	WhNextAt: "thử lại lúc", WhDeliveredAt: "đã nhận lúc", WhRecent: "Các lần gửi gần đây",
	WhStatuses: map[string]string{survey.DeliveryPending: "Đang chờ", survey.DeliveryDelivered: "Đã gửi", survey.DeliveryFailed: "Thất bại"},
	WhAdd:      "Thêm webhook", WhAddButton: "Thêm webhook",
	WhURLHint:    "http:// hoặc https://, tối đa 2 048 byte; không trỏ tới địa chỉ nội bộ",
	WhSecretHint: "ít nhất 16 ký tự; bên nhận dùng khóa này để kiểm tra chữ ký",
	WhDisable:    "Tắt", WhCreatedMsg: "Đã thêm webhook.", WhDisabledMsg: "Đã tắt webhook.",
	WhNotFound: "Không có webhook này.",
	WhEventNames: map[string]string{survey.EventResponseCreated: "phiếu đánh giá mới", survey.EventAlertCreated: "cảnh báo mới",
		survey.EventTaskOverdue: "nhiệm vụ quá hạn"},
	WhBadField: map[string]string{
		"url": "Địa chỉ không hợp lệ: cần một địa chỉ http:// hoặc https:// có tên máy chủ phân giải được, không trỏ tới " +
			"địa chỉ nội bộ (loopback, mạng riêng, link-local), không kèm tên đăng nhập, tối đa 2 048 byte.",
		"events": "Hãy chọn ít nhất một sự kiện.",
		"secret": "Khóa bí mật cần từ 16 đến 256 ký tự.",
	},
}

var webhookEN = WebhookTexts{
	WhTitle: "Webhooks",
	WhIntro: "Other systems receive events (new ratings, new alerts, overdue tasks) through webhooks. " +
		"Each delivery is signed with the webhook's secret; failed deliveries are retried for 24 hours. " +
		"Webhooks can also be created and disabled through the API (POST /api/v1/webhooks).",
	WhSecret:       "The secret is shown once, when the webhook is created; here only its last characters.",
	WhNone:         "No webhooks yet.",
	WhNoDeliveries: "No deliveries yet.",
	WhURL:          "URL", WhEvents: "Events", WhCreated: "Created", WhState: "State",
	WhActive: "Active", WhDisabled: "Disabled", WhHint: "Secret",
	WhID: "Delivery id", WhEvent: "Event", WhStatus: "Status", WhAttempts: "Attempts", WhAnswer: "HTTP status",
	WhError: "Last error", WhQueued: "Queued", WhLast: "Last attempt", WhOutcome: "Next",
	WhNextAt: "retry at", WhDeliveredAt: "received at", WhRecent: "Recent deliveries",
	WhStatuses: map[string]string{survey.DeliveryPending: "Pending", survey.DeliveryDelivered: "Delivered", survey.DeliveryFailed: "Failed"},
	WhAdd:      "Add a webhook", WhAddButton: "Add webhook",
	WhURLHint:    "http:// or https://, at most 2 048 bytes; not an internal address",
	WhSecretHint: "at least 16 characters; the receiver checks signatures with it",
	WhDisable:    "Disable", WhCreatedMsg: "Webhook added.", WhDisabledMsg: "Webhook disabled.",
	WhNotFound: "There is no such webhook.",
	WhEventNames: map[string]string{survey.EventResponseCreated: "new ratings", survey.EventAlertCreated: "new alerts",
		survey.EventTaskOverdue: "overdue tasks"},
	WhBadField: map[string]string{
		"url": "Invalid URL: it must be http:// or https:// with a host name that resolves, not pointing to an internal " +
			"address (loopback, private network, link-local), without credentials, at most 2 048 bytes.",
		"events": "Choose at least one event.",
		"secret": "The secret needs 16 to 256 characters.",
	},
}

func webhookTexts(lang string) *WebhookTexts {
	if lang == "en" {
		return &webhookEN
	}
	return &webhookVI
}
