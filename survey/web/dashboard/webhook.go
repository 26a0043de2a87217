package dashboard

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// webhookDeliveriesShown is how many recent deliveries the page shows for
// each webhook.
const webhookDeliveriesShown = 20

// webhooksPage is the admins' page of webhooks: each subscription and its
// recent deliveries (status, attempts, last answer and error). Webhooks
// are created and disabled through the API.
type webhooksPage struct {
	dashBase
	W     *WebhookTexts
	Hooks []webhookRow
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
	ctx := c.Request.Context()
	wt := webhookTexts(httpx.Lang(c))
	hooks, err := h.Store.ListWebhooks(ctx)
	if err != nil {
		return err
	}
	p := &webhooksPage{dashBase: h.dashBase(c, wt.WhTitle), W: wt}
	for _, w := range hooks {
		ds, err := h.Store.ListWebhookDeliveries(ctx, w.ID, webhookDeliveriesShown)
		if err != nil {
			return err
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
	c.Header("Cache-Control", "no-store")
	return h.render(c, http.StatusOK, "webhooks", p)
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
}

var webhookVI = WebhookTexts{
	WhTitle: "Webhook",
	WhIntro: "Các hệ thống khác nhận sự kiện (phiếu đánh giá mới, cảnh báo mới, nhiệm vụ quá hạn) qua webhook. " +
		"Mỗi lần gửi được ký bằng khóa bí mật; lần gửi không thành công được gửi lại trong 24 giờ. " +
		"Tạo và tắt webhook qua API (POST /api/v1/webhooks).",
	WhSecret:       "Khóa bí mật chỉ hiện một lần khi tạo; ở đây chỉ hiện vài ký tự cuối.",
	WhNone:         "Chưa có webhook nào.",
	WhNoDeliveries: "Chưa có lần gửi nào.",
	WhURL:          "Địa chỉ", WhEvents: "Sự kiện", WhCreated: "Tạo lúc", WhState: "Trạng thái",
	WhActive: "Đang hoạt động", WhDisabled: "Đã tắt", WhHint: "Khóa",
	WhID: "Mã lần gửi", WhEvent: "Sự kiện", WhStatus: "Kết quả", WhAttempts: "Số lần thử", WhAnswer: "Mã trả lời HTTP",
	WhError: "Lỗi gần nhất", WhQueued: "Xếp hàng lúc", WhLast: "Lần thử gần nhất", WhOutcome: "Tiếp theo",
	WhNextAt: "thử lại lúc", WhDeliveredAt: "đã nhận lúc", WhRecent: "Các lần gửi gần đây",
	WhStatuses: map[string]string{survey.DeliveryPending: "Đang chờ", survey.DeliveryDelivered: "Đã gửi", survey.DeliveryFailed: "Thất bại"},
}

var webhookEN = WebhookTexts{
	WhTitle: "Webhooks",
	WhIntro: "Other systems receive events (new ratings, new alerts, overdue tasks) through webhooks. " +
		"Each delivery is signed with the webhook's secret; failed deliveries are retried for 24 hours. " +
		"Webhooks are created and disabled through the API (POST /api/v1/webhooks).",
	WhSecret:       "The secret is shown once, when the webhook is created; here only its last characters.",
	WhNone:         "No webhooks yet.",
	WhNoDeliveries: "No deliveries yet.",
	WhURL:          "URL", WhEvents: "Events", WhCreated: "Created", WhState: "State",
	WhActive: "Active", WhDisabled: "Disabled", WhHint: "Secret",
	WhID: "Delivery id", WhEvent: "Event", WhStatus: "Status", WhAttempts: "Attempts", WhAnswer: "HTTP status",
	WhError: "Last error", WhQueued: "Queued", WhLast: "Last attempt", WhOutcome: "Next",
	WhNextAt: "retry at", WhDeliveredAt: "received at", WhRecent: "Recent deliveries",
	WhStatuses: map[string]string{survey.DeliveryPending: "Pending", survey.DeliveryDelivered: "Delivered", survey.DeliveryFailed: "Failed"},
}

func webhookTexts(lang string) *WebhookTexts {
	if lang == "en" {
		return &webhookEN
	}
	return &webhookVI
}
