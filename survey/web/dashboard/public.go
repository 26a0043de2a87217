package dashboard

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// publicBlock is the agency page's block about its public results page:
// whether it is published, its address, and (admins) the button that
// publishes or withdraws it.
type publicBlock struct {
	T         *publicTexts
	Published bool
	PageURL   string // /p/{code}, shown when published
	Admin     bool
	URL       string // where the form posts
}

// publicTexts are the block's strings.
type publicTexts struct {
	Title, On, Off, Note, Publish, Withdraw, Published, Withdrawn string
}

var publicVI = publicTexts{
	Title:     "Trang kết quả công khai",
	On:        "Kết quả của đơn vị đang được công khai tại:",
	Off:       "Kết quả của đơn vị chưa được công khai.",
	Note:      "Trang công khai cho mọi người, không cần đăng nhập, xem chỉ số chung và theo yếu tố của tháng, quý và năm gần nhất (kèm khoảng tin cậy và n, chỉ khi đủ dữ liệu), các đơn vị trực thuộc cũng đã công khai, và diễn biến 12 tháng. Không có góp ý, không có số liệu của từng quầy.",
	Publish:   "Công khai kết quả",
	Withdraw:  "Ngừng công khai",
	Published: "Đã công khai kết quả của đơn vị.",
	Withdrawn: "Đã ngừng công khai kết quả của đơn vị.",
}

var publicEN = publicTexts{
	Title:     "Public results page",
	On:        "The unit's results are public at:",
	Off:       "The unit's results are not public.",
	Note:      "The public page shows anyone, without signing in, the overall and element indices of the last month, quarter and year (with their intervals and n, only where there are enough data), the units under it that are public too, and the 12-month trend. No comments, nothing about single counters.",
	Publish:   "Publish the results",
	Withdraw:  "Withdraw the results",
	Published: "The unit's results are now public.",
	Withdrawn: "The unit's results are no longer public.",
}

func pubtr(lang string) *publicTexts {
	if lang == "en" {
		return &publicEN
	}
	return &publicVI
}

// agencyPublic fills the public results block of the agency page.
func (h *Handler) agencyPublic(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) {
	t := pubtr(q.Lang)
	page := "/p/" + url.PathEscape(a.Code)
	if q.Lang == "en" {
		page += "?lang=en"
	}
	p.Public = publicBlock{T: t, Published: a.Public, PageURL: page, Admin: p.Admin,
		URL: langLink("/dashboard/agency/"+url.PathEscape(a.Code)+"/public", q.Lang)}
	switch c.Query("msg") {
	case "published":
		p.Flash = t.Published
	case "withdrawn":
		p.Flash = t.Withdrawn
	}
}

// PublicSet publishes (public=true) or withdraws (public=false) the
// agency's public results page (admins; audited by the store).
func (h *Handler) PublicSet(c *gin.Context) error {
	a, _, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	var on bool
	switch c.Request.PostForm.Get("public") {
	case "true":
		on = true
	case "false":
	default:
		return fail(http.StatusBadRequest, "public must be true or false")
	}
	if _, err := h.Store.UpdateAgency(c.Request.Context(), a.Code, survey.AgencyUpdate{Public: &on}, httpx.Actor(c)); err != nil {
		return err
	}
	msg := "withdrawn"
	if on {
		msg = "published"
	}
	c.Redirect(http.StatusSeeOther, langLink("/dashboard/agency/"+url.PathEscape(a.Code), httpx.Lang(c), "msg", msg)+"#public")
	return nil
}
