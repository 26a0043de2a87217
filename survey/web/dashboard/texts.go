package dashboard

// Texts are the fixed strings of the officials' pages, one table per
// language.
type Texts struct {
	// lang is the texts' language ("vi", "en"): it picks the other
	// groups' texts (Plan).
	lang                                                                                  string
	Brand, Skip, Nav, Overview, Password, Logout, SignedIn, Switch                        string
	LoginTitle, LoginIntro, Name, Pass, SignIn, BadLogin, Throttled, LoginAgain           string
	Remember, RememberNote                                                                string
	PwTitle, PwCurrent, PwNew, PwConfirm, PwSave, PwChanged, PwWrong, PwMismatch, PwShort string
	CSRFFailed, BadRequest, NotFound, Forbidden, ForbiddenBody, NoAgency, BackHome        string
	BadPreset, BadInstrument, BadSort, BadPage, Internal, Conflict                        string
	Period, Month, Quarter, Half, Year, Custom, From, To, Apply, Instrument, SIPAS, Quick string
	LastMonth, LastQuarter                                                                string
	OverviewTitle, Unit, Index, CI, N, Change, VsRest, Rank, SortBy, Units                string
	Higher, Lower, Up, Down, RanksPending, NoChildren, SubUnits, Closed, Whole, Previous  string
	Legend, Export, RawCSV, ChartCI, ChartCIDesc                                          string
	AgencyTitle, OverallIdx, Elements, Criteria, Weakest, Distribution, Trend, TrendDesc  string
	Comments, LowOnly, AllComments, NoComments, PrevPage, NextPage, PageOf, Mean, Date    string
	Where, Counters, Responses, QR, Poster, Followup, Answered, Share, Count, NoOpinion   string
	AllPosters, NoOpenCounters                                                            string
	NewCounter, Code, CounterName, Create, Rename, CloseC, Reopen, Rotate, Status         string
	Open, ClosedStatus, Created, Renamed, ClosedMsg, Reopened, Rotated, Actions, Element  string
	Criterion, ChartElems, ChartItems, Month1, NotReportable, Change1, ManageNote         string
	// The admins' accounts page.
	Accounts, AccountsNote, Role, RoleAdmin, RoleOfficial, Agency, NoneAgency, Active    string
	DisabledStatus, CreatedAt, NewUser, InitialPw, CreateUser, Disable, Enable, SaveUser string
	ResetPw, NewPwFor, UserCreated, UserDisabled, UserEnabled, UserUpdated, PwReset      string
	NotSelf                                                                              string
	Footer                                                                               string
	// The exports: heading lines, the columns of every table, the extra
	// columns of the overview and of an agency, and the agency's row levels.
	XAgency, XPeriod, XPrevious, XInstrument, XLevel string
	XHeader, XOverview, XAgencyCols                  []string
	XLevels                                          [3]string
	// SetAside is the count of ratings left out of an index, shown beside
	// its n ("9 tách riêng", the count in %s), and SetAsideTitle its
	// tooltip.
	SetAside, SetAsideTitle string
	// DossierTexts are the texts about dossiers and response rates.
	DossierTexts
	// IntegrityTexts are the texts of the integrity page.
	IntegrityTexts
	// FlaggedTexts are the texts of the review page of flagged ratings.
	FlaggedTexts
	// ReorgTexts are the texts about reorganisations.
	ReorgTexts
	// AlertTexts are the texts of the alerts page.
	AlertTexts
	// MailTexts are the texts of the mail settings.
	MailTexts
}

var dashVI = Texts{
	lang:  "vi",
	Brand: "SIPAS · Bảng điều khiển", Skip: "Bỏ qua, đến nội dung chính", Nav: "Điều hướng",
	Overview: "Tổng quan", Password: "Đổi mật khẩu", Logout: "Đăng xuất", SignedIn: "Tài khoản", Switch: "English",
	LoginTitle: "Đăng nhập", LoginIntro: "Dành cho cán bộ, công chức theo dõi mức độ hài lòng của người dân.",
	Name: "Tên đăng nhập", Pass: "Mật khẩu", SignIn: "Đăng nhập",
	Remember: "Ghi nhớ đăng nhập", RememberNote: "Không chọn khi dùng máy tính chung: phiên đăng nhập sẽ kết thúc khi đóng trình duyệt.",
	BadLogin:   "Sai tên đăng nhập hoặc mật khẩu.",
	Throttled:  "Đăng nhập sai nhiều lần. Xin chờ %d giây rồi thử lại.",
	LoginAgain: "Phiên làm việc đã hết hạn. Xin đăng nhập lại.",
	PwTitle:    "Đổi mật khẩu", PwCurrent: "Mật khẩu hiện tại", PwNew: "Mật khẩu mới (ít nhất 8 ký tự)", PwConfirm: "Nhập lại mật khẩu mới",
	PwSave: "Lưu mật khẩu mới", PwChanged: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.",
	PwWrong: "Mật khẩu hiện tại không đúng.", PwMismatch: "Mật khẩu mới nhập lại không khớp.",
	PwShort:    "Mật khẩu mới phải có từ 8 ký tự đến 72 byte.",
	CSRFFailed: "Biểu mẫu đã hết hạn hoặc không hợp lệ, nên chưa có gì thay đổi. Xin tải lại trang và thử lại.",
	BadRequest: "Yêu cầu không hợp lệ", NotFound: "Không tìm thấy", Forbidden: "Không có quyền truy cập",
	ForbiddenBody: "Tài khoản của Ông/Bà không được xem hoặc thay đổi đơn vị này.",
	NoAgency:      "Không có đơn vị nào có mã %q.", BackHome: "Về trang tổng quan",
	BadPreset:     "Kỳ báo cáo %q không hợp lệ: chọn tháng này, tháng trước, quý này, quý trước, nửa năm nay, năm nay hoặc tùy chọn.",
	BadInstrument: "Bộ câu hỏi %q không tồn tại.", BadSort: "Cách sắp xếp không hợp lệ.", BadPage: "Số trang không hợp lệ.",
	Internal: "Có lỗi bên trong hệ thống. Xin thử lại sau.", Conflict: "Dữ liệu bị trùng",
	Period: "Kỳ báo cáo", Month: "Tháng này", Quarter: "Quý này", Half: "Nửa năm nay", Year: "Năm nay", Custom: "Tùy chọn",
	LastMonth: "Tháng trước", LastQuarter: "Quý trước",
	From: "Từ ngày", To: "Đến ngày", Apply: "Xem", Instrument: "Bộ câu hỏi", SIPAS: "SIPAS (22 tiêu chí)", Quick: "Đánh giá nhanh",
	OverviewTitle: "Tổng quan", Unit: "Đơn vị", Index: "Chỉ số hài lòng", CI: "Khoảng tin cậy", N: "Số phiếu (n)",
	Change: "Thay đổi so với kỳ trước (điểm %)", VsRest: "So với các đơn vị còn lại", Rank: "Xếp hạng (khoảng)",
	SortBy: "Sắp xếp theo", Units: "đơn vị",
	Higher: "▲ cao hơn có ý nghĩa", Lower: "▼ thấp hơn có ý nghĩa", Up: "▲ tăng có ý nghĩa", Down: "▼ giảm có ý nghĩa",
	RanksPending:   "đang tính khoảng xếp hạng — tải lại sau ít giây",
	NoOpenCounters: "Đơn vị này không có quầy nào đang hoạt động.",
	NoChildren:     "Đơn vị này không có đơn vị trực thuộc.", SubUnits: "các đơn vị trực thuộc", Closed: "đã ngừng",
	Whole: "Toàn bộ", Previous: "Kỳ trước",
	Legend: "Mỗi chỉ số có khoảng tin cậy và số phiếu. Dấu ▲/▼ chỉ hiện khi khác biệt vẫn có ý nghĩa thống kê sau khi hiệu chỉnh so sánh bội (%s). " +
		"Đơn vị có dưới %d phiếu hiện “chưa đủ dữ liệu”. Xếp hạng là khoảng (bootstrap %d lần): hai đơn vị có khoảng chồng nhau thì chưa phân biệt được.",
	Export: "Tải xuống", RawCSV: "Phiếu trả lời gốc (CSV)",
	ChartCI: "Chỉ số và khoảng tin cậy", ChartCIDesc: "Thanh ngang là khoảng tin cậy trên thang 0–100%, chấm tròn là chỉ số.",
	AgencyTitle: "Đơn vị", OverallIdx: "Chỉ số hài lòng chung", Elements: "Các yếu tố", Criteria: "Các tiêu chí",
	Weakest: "Tiêu chí yếu nhất trước", Distribution: "Phân bố câu trả lời theo tiêu chí",
	Trend: "Diễn biến theo tháng", TrendDesc: "Đường là chỉ số hài lòng chung từng tháng, dải mờ là khoảng tin cậy; tháng chưa đủ dữ liệu không vẽ.",
	Comments: "Góp ý của người dân", LowOnly: "Chỉ góp ý kèm đánh giá thấp (điểm TB ≤ 2,5)", AllComments: "Tất cả góp ý",
	NoComments: "Không có góp ý nào trong kỳ.", PrevPage: "‹ Trang trước", NextPage: "Trang sau ›", PageOf: "Trang %d / %d (%d góp ý)",
	Mean: "Điểm TB (1–5)", Date: "Ngày", Where: "Nơi", Counters: "Quầy tiếp nhận", Responses: "Số phiếu trong kỳ",
	QR: "Mã QR", Poster: "Áp phích", AllPosters: "In áp phích QR của tất cả các quầy (A4)", Followup: "Số lần phải đi lại", Answered: "số người trả lời", Share: "Tỷ lệ", Count: "Số lượng",
	NoOpinion:  "Không có ý kiến",
	NewCounter: "Thêm quầy", Code: "Mã", CounterName: "Tên quầy", Create: "Thêm quầy", Rename: "Đổi tên", CloseC: "Ngừng",
	Reopen: "Mở lại", Rotate: "Đổi mã QR", Status: "Trạng thái", Open: "Đang hoạt động", ClosedStatus: "Đã ngừng",
	Created: "Đã thêm quầy.", Renamed: "Đã đổi tên quầy.", ClosedMsg: "Đã ngừng quầy.", Reopened: "Đã mở lại quầy.",
	Rotated: "Đã đổi mã QR: áp phích cũ không còn dùng được, xin in áp phích mới.", Actions: "Thao tác",
	Element: "Yếu tố", Criterion: "Tiêu chí", ChartElems: "Chỉ số các yếu tố", ChartItems: "Chỉ số các tiêu chí",
	Month1: "Tháng", NotReportable: "chưa đủ dữ liệu", Change1: "Thay đổi so với kỳ trước",
	ManageNote: "Đổi mã QR làm áp phích cũ hết hiệu lực.",
	Accounts:   "Tài khoản", AccountsNote: "Tài khoản bị khóa không đăng nhập được và mọi phiên của nó bị đăng xuất. Đặt lại mật khẩu cũng đăng xuất các phiên của tài khoản đó.",
	Role: "Vai trò", RoleAdmin: "Quản trị", RoleOfficial: "Cán bộ", Agency: "Đơn vị (mã)", NoneAgency: "không có", Active: "Đang hoạt động",
	DisabledStatus: "Đã khóa", CreatedAt: "Ngày tạo", NewUser: "Thêm tài khoản", InitialPw: "Mật khẩu ban đầu (ít nhất 8 ký tự)",
	CreateUser: "Thêm tài khoản", Disable: "Khóa", Enable: "Mở khóa", SaveUser: "Lưu", ResetPw: "Đặt lại mật khẩu",
	NewPwFor: "Mật khẩu mới cho", UserCreated: "Đã thêm tài khoản.", UserDisabled: "Đã khóa tài khoản; các phiên của nó đã bị đăng xuất.",
	UserEnabled: "Đã mở khóa tài khoản.", UserUpdated: "Đã lưu vai trò và đơn vị.", PwReset: "Đã đặt lại mật khẩu; các phiên của tài khoản đó đã bị đăng xuất.",
	SetAside: "%s tách riêng", SetAsideTitle: "Số phiếu bị tách riêng, không tính vào chỉ số (nghi vấn: chờ xem xét hoặc đã bác)",
	NotSelf: "Không thể tự khóa hoặc tự bỏ quyền quản trị của chính mình.",
	Footer:  "chỉ số kèm khoảng tin cậy và cỡ mẫu",
	XAgency: "Đơn vị", XPeriod: "Kỳ báo cáo", XPrevious: "Kỳ trước", XInstrument: "Bộ câu hỏi", XLevel: "Mức tin cậy",
	XHeader:        []string{"Mã", "Tên", "Chỉ số (%)", "KTC dưới (%)", "KTC trên (%)", "n", "Tách riêng", "Ghi chú"},
	XOverview:      []string{"Thay đổi (điểm %)", "Thay đổi có ý nghĩa", "So với phần còn lại", "Hạng thấp nhất", "Hạng cao nhất", "Số đơn vị xếp hạng"},
	XAgencyCols:    []string{"Cấp", "Điểm TB (1–5)", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng", "Không có ý kiến"},
	XLevels:        [3]string{"chung", "yếu tố", "tiêu chí"},
	DossierTexts:   dossierVI,
	IntegrityTexts: integrityVI,
	FlaggedTexts:   flaggedVI,
	ReorgTexts:     reorgVI,
	AlertTexts:     alertVI,
	MailTexts:      mailVI,
}

var dashEN = Texts{
	lang:  "en",
	Brand: "SIPAS · Dashboard", Skip: "Skip to main content", Nav: "Navigation",
	Overview: "Overview", Password: "Change password", Logout: "Sign out", SignedIn: "Account", Switch: "Tiếng Việt",
	LoginTitle: "Sign in", LoginIntro: "For officials following citizens' satisfaction.",
	Name: "User name", Pass: "Password", SignIn: "Sign in",
	Remember: "Remember me", RememberNote: "Leave it unticked on a shared computer: you are signed out when the browser closes.",
	BadLogin:   "Wrong user name or password.",
	Throttled:  "Too many failed sign-ins. Please wait %d seconds and try again.",
	LoginAgain: "Your session has expired. Please sign in again.",
	PwTitle:    "Change password", PwCurrent: "Current password", PwNew: "New password (at least 8 characters)", PwConfirm: "New password again",
	PwSave: "Save new password", PwChanged: "Password changed. Your other sessions have been signed out.",
	PwWrong: "The current password is wrong.", PwMismatch: "The new passwords do not match.",
	PwShort:    "The new password must have 8 characters to 72 bytes.",
	CSRFFailed: "The form has expired or is invalid, so nothing was changed. Please reload the page and try again.",
	BadRequest: "Bad request", NotFound: "Not found", Forbidden: "Access denied",
	ForbiddenBody: "Your account may not see or change this agency.",
	NoAgency:      "There is no agency with code %q.", BackHome: "Back to the overview",
	BadPreset:     "Period %q is not valid: choose this or last month, this or last quarter, this half-year, this year or custom.",
	BadInstrument: "There is no instrument %q.", BadSort: "Invalid sort order.", BadPage: "Invalid page number.",
	Internal: "Internal error. Please try again later.", Conflict: "Conflict",
	Period: "Period", Month: "This month", Quarter: "This quarter", Half: "This half-year", Year: "This year", Custom: "Custom",
	LastMonth: "Last month", LastQuarter: "Last quarter",
	From: "From", To: "To", Apply: "Show", Instrument: "Instrument", SIPAS: "SIPAS (22 criteria)", Quick: "Quick rating",
	OverviewTitle: "Overview", Unit: "Unit", Index: "Satisfaction index", CI: "Confidence interval", N: "Responses (n)",
	Change: "Change since previous period (points)", VsRest: "Compared with the other units", Rank: "Rank (interval)",
	SortBy: "Sort by", Units: "units",
	Higher: "▲ significantly higher", Lower: "▼ significantly lower", Up: "▲ significant rise", Down: "▼ significant fall",
	RanksPending:   "computing rank intervals — reload in a few seconds",
	NoOpenCounters: "This agency has no open counters.",
	NoChildren:     "This agency has no sub-units.", SubUnits: "its sub-units", Closed: "closed",
	Whole: "All of", Previous: "Previous period",
	Legend: "Every index comes with its confidence interval and n. ▲/▼ appear only when a difference stays significant after adjusting for multiple comparisons (%s). " +
		"Units with fewer than %d responses show “not enough data”. Ranks are intervals (%d bootstrap replicates): units whose intervals overlap cannot be told apart.",
	Export: "Download", RawCSV: "Raw responses (CSV)",
	ChartCI: "Index and confidence interval", ChartCIDesc: "The bar is the confidence interval on a 0–100% scale, the dot the index.",
	AgencyTitle: "Agency", OverallIdx: "Overall satisfaction index", Elements: "Elements", Criteria: "Criteria",
	Weakest: "Weakest criteria first", Distribution: "Answers per criterion",
	Trend: "Monthly trend", TrendDesc: "The line is the overall index month by month, the band its confidence interval; months without enough data are not drawn.",
	Comments: "Citizens' comments", LowOnly: "Only comments with low ratings (mean ≤ 2.5)", AllComments: "All comments",
	NoComments: "No comments in this period.", PrevPage: "‹ Previous", NextPage: "Next ›", PageOf: "Page %d of %d (%d comments)",
	Mean: "Mean (1–5)", Date: "Date", Where: "Where", Counters: "Counters", Responses: "Responses in period",
	QR: "QR code", Poster: "Poster", AllPosters: "Print the QR posters of all counters (A4)", Followup: "Times they had to come back", Answered: "answered", Share: "Share", Count: "Count",
	NoOpinion:  "No opinion",
	NewCounter: "Add a counter", Code: "Code", CounterName: "Counter name", Create: "Add counter", Rename: "Rename", CloseC: "Close",
	Reopen: "Reopen", Rotate: "Rotate QR", Status: "Status", Open: "Open", ClosedStatus: "Closed",
	Created: "Counter added.", Renamed: "Counter renamed.", ClosedMsg: "Counter closed.", Reopened: "Counter reopened.",
	Rotated: "QR code rotated: old posters no longer work, please print the new one.", Actions: "Actions",
	Element: "Element", Criterion: "Criterion", ChartElems: "Element indices", ChartItems: "Criterion indices",
	Month1: "Month", NotReportable: "not enough data", Change1: "Change since previous period",
	ManageNote: "Rotating the QR code invalidates printed posters.",
	Accounts:   "Accounts", AccountsNote: "A disabled account cannot sign in and all its sessions are signed out. Resetting a password also signs out that account's sessions.",
	Role: "Role", RoleAdmin: "Admin", RoleOfficial: "Official", Agency: "Agency (code)", NoneAgency: "none", Active: "Active",
	DisabledStatus: "Disabled", CreatedAt: "Created", NewUser: "Add an account", InitialPw: "Initial password (at least 8 characters)",
	CreateUser: "Add account", Disable: "Disable", Enable: "Enable", SaveUser: "Save", ResetPw: "Reset password",
	NewPwFor: "New password for", UserCreated: "Account added.", UserDisabled: "Account disabled; its sessions are signed out.",
	UserEnabled: "Account enabled.", UserUpdated: "Role and agency saved.", PwReset: "Password reset; that account's sessions are signed out.",
	SetAside: "%s set aside", SetAsideTitle: "Ratings left out of the index (suspicious: awaiting review, or rejected)",
	NotSelf: "You cannot disable your own account or remove your own admin role.",
	Footer:  "indices with confidence intervals and sample sizes",
	XAgency: "Agency", XPeriod: "Period", XPrevious: "Previous period", XInstrument: "Instrument", XLevel: "Confidence level",
	XHeader:        []string{"Code", "Name", "Index (%)", "CI low (%)", "CI high (%)", "n", "Set aside", "Note"},
	XOverview:      []string{"Change (points)", "Change significant", "Compared with the rest", "Best rank", "Worst rank", "Units ranked"},
	XAgencyCols:    []string{"Level", "Mean (1–5)", "Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied", "No opinion"},
	XLevels:        [3]string{"overall", "element", "criterion"},
	DossierTexts:   dossierEN,
	IntegrityTexts: integrityEN,
	FlaggedTexts:   flaggedEN,
	ReorgTexts:     reorgEN,
	AlertTexts:     alertEN,
	MailTexts:      mailEN,
}

func dtr(lang string) *Texts {
	if lang == "en" {
		return &dashEN
	}
	return &dashVI
}

// TextsIn returns the officials' texts in lang ("vi" or "en"), for checks
// of what the pages say.
func TextsIn(lang string) Texts { return *dtr(lang) }
