// Package sim measures the integrity detector (package integrity) on a
// simulated province: a month of honest ratings arriving the way they do at
// real one-stop offices, with attacks injected into it, replayed day by day
// like the server's periodic scan. It reports which share of the injected
// ratings the detector sets aside (recall, per attack type and size), which
// share of the honest ones (false positives) and what each signal
// contributes.
//
// Generate builds a month from a seed (the same seed gives the same month);
// Run replays it through integrity.Detect with the given options, so that an
// ablation is one more Run with Options.Off set. The command
// cmd/sipas-integrity-sim (part of make bench) prints the table over fixed
// seeds.
//
// The province is meant to be realistic and adversarial, not tuned to the
// detector: counters whose traffic differs by a factor of forty, a weekday
// pattern and a day-to-day level that varies, honest phone ratings in the
// evening and the next morning, queues that clear in bursts after an
// outage, an office Wi-Fi address shared by everyone in an agency (and the
// kiosk tablet), carrier NAT addresses shared across the province, and a
// quarter of citizens answering all 5 — the same vector every attack gives.
package sim

import (
	"fmt"
	"time"

	"github.com/sipas/sipas/survey/integrity"
)

// Items is the number of answers of a rating: the sipas-2017 instrument
// has 22 items, each 1..5 or NoOpinion.
const Items = 22

// NoOpinion is the stored answer "no opinion".
const NoOpinion = 6

// Attack types.
const (
	// BurstOneDevice: Size all-5 ratings from one new phone, 15–60 s apart,
	// during opening hours.
	BurstOneDevice = "burst_1dev"
	// BurstThreeDevices: the same spread round-robin over three new phones.
	BurstThreeDevices = "burst_3dev"
	// BurstOneDeviceVaried and BurstThreeDevicesVaried: the same bursts by
	// a stuffer who varies the answers — each item 5, or 4 one time in
	// five, different every rating.
	BurstOneDeviceVaried    = "burst_1dev_varied"
	BurstThreeDevicesVaried = "burst_3dev_varied"
	// OffHoursPhone: Size all-5 ratings from one phone between 19:00 and
	// 22:00.
	OffHoursPhone = "offhours_phone"
	// OffHoursKiosk: Size all-5 ratings on the counter's tablet between
	// 18:30 and 21:00.
	OffHoursKiosk = "offhours_kiosk"
	// Drip: one all-5 rating every ten minutes from 07:30 to 17:00 from one
	// phone.
	Drip = "drip"
	// KioskColleague: 12–20 all-5 kiosk ratings over one hour of opening
	// hours, 2–6 minutes apart.
	KioskColleague = "kiosk_colleague"
)

// Honest patterns: how an honest rating arrived.
const (
	PatternKiosk   = "kiosk"         // on the tablet, within minutes of service
	PatternQuick   = "phone_quick"   // phone, 0–15 min after service
	PatternLater   = "phone_later"   // phone, later the same day (before 18:30)
	PatternEvening = "phone_evening" // phone, 18:30–22:30
	PatternMorning = "phone_morning" // phone, the next morning before 08:00
	PatternQueue   = "queue"         // phone, a queue served together
)

// Kind is an attack type with its nominal size (0 for the types whose size
// is not a parameter: the drip and the kiosk colleague).
type Kind struct {
	Type string `json:"type"`
	Size int    `json:"size,omitempty"`
}

// String is "type size", or the type alone when the size is 0.
func (k Kind) String() string {
	if k.Size == 0 {
		return k.Type
	}
	return fmt.Sprintf("%s %d", k.Type, k.Size)
}

// Counter is one counter (unit) of an agency.
type Counter struct {
	Name string
	// Served is the mean number of citizens served on an open day, before
	// the weekday factor and the day's level; Response is the share of them
	// who rate.
	Served   float64
	Response float64
	// Kiosk: the counter has a tablet, used by KioskShare of its raters.
	Kiosk      bool
	KioskShare float64
	// Quality is the mean satisfaction of its citizens (1..5 scale).
	Quality float64
}

// Agency is one office with its counters.
type Agency struct {
	Name     string
	Counters []Counter
}

// Config describes the simulated province and its attacks.
type Config struct {
	// Start is the first evaluated day (YYYY-MM-DD, Vietnam); Days how many
	// are evaluated; HistoryDays of honest traffic come before Start.
	Start       string
	Days        int
	HistoryDays int
	Hours       integrity.Hours
	Holidays    []integrity.Holiday
	Agencies    []Agency
	// Weekday scales the day's traffic (by time.Weekday); DaySpread is the
	// sigma of the log-normal level of each counter-day.
	Weekday   [7]float64
	DaySpread float64
	// Profile weighs service by hour of day within the opening spans;
	// FridayAfternoon scales Friday from 12:00.
	Profile         [24]float64
	FridayAfternoon float64
	// Phone raters: Evening rate 18:30–22:30, Morning the next morning
	// before 08:00, Later later the same day; the rest within 15 minutes.
	Evening, Morning, Later float64
	// WiFi is the share of phone ratings made in the office that go through
	// its Wi-Fi (one address per agency and day); the rest, and every
	// rating made elsewhere, go through one of NATPool carrier addresses
	// shared across the province.
	WiFi    float64
	NATPool int
	// UserAgents is how many kinds of phone and browser citizens have,
	// the i-th (from 1) used by a share proportional to 1/i: the client
	// tag hashes the address with the user agent, so phones of one kind
	// behind one address share a tag.
	UserAgents int
	// QueueDays is the share of open counter-days on which a queue of
	// QueueMin..QueueMax citizens, served together, rate within
	// QueueSpread.
	QueueDays          float64
	QueueMin, QueueMax int
	QueueSpread        time.Duration
	// StraightFive and StraightFour are the shares of citizens answering
	// every item 5 (or 4); each other answer is no opinion with
	// probability NoOpinion.
	StraightFive, StraightFour, NoOpinion float64
	// AttacksMin..AttacksMax instances of each attack kind are injected
	// into the evaluated days, never two on one counter-day.
	AttacksMin, AttacksMax int
	// BurstSizes are the sizes of the all-5 bursts, VariedSizes those of
	// the bursts with varied answers.
	BurstSizes, VariedSizes []int
	OffHoursSize            int
}

// DefaultConfig is the province of the benchmark: a provincial service
// centre (4 counters, 40–90 ratings an open day each), a district office
// (3 counters, 10–30) and five communes (2–8), four counters with a
// kiosk; 28 days of history, then October 2026 evaluated, with two public
// holidays.
func DefaultConfig() Config {
	var profile [24]float64
	for h, w := range map[int]float64{7: 0.7, 8: 1.1, 9: 1.5, 10: 1.3, 11: 0.8, 13: 0.6, 14: 1.2, 15: 1.3, 16: 0.8} {
		profile[h] = w
	}
	return Config{
		Start:       "2026-10-01",
		Days:        31,
		HistoryDays: integrity.HistoryDays,
		Hours:       integrity.DefaultHours(),
		Holidays: []integrity.Holiday{
			{Date: "2026-09-02", Name: "National Day"},
			{Date: "2026-10-20", Name: "Holiday (simulated)"},
		},
		Agencies: []Agency{
			{Name: "province-centre", Counters: []Counter{
				{Name: "centre-land", Served: 110, Response: 0.40, Kiosk: true, KioskShare: 0.5, Quality: 4.2},
				{Name: "centre-business", Served: 140, Response: 0.40, Kiosk: true, KioskShare: 0.4, Quality: 3.9},
				{Name: "centre-justice", Served: 150, Response: 0.45, Quality: 3.7},
				{Name: "centre-transport", Served: 180, Response: 0.50, Quality: 4.4},
			}},
			{Name: "district", Counters: []Counter{
				{Name: "district-civil", Served: 40, Response: 0.30, Kiosk: true, KioskShare: 0.5, Quality: 3.6},
				{Name: "district-land", Served: 45, Response: 0.45, Quality: 4.1},
				{Name: "district-social", Served: 60, Response: 0.50, Quality: 3.9},
			}},
			{Name: "commune-a", Counters: []Counter{{Name: "commune-a", Served: 10, Response: 0.30, Kiosk: true, KioskShare: 0.6, Quality: 4.5}}},
			{Name: "commune-b", Counters: []Counter{{Name: "commune-b", Served: 8, Response: 0.25, Quality: 3.5}}},
			{Name: "commune-c", Counters: []Counter{{Name: "commune-c", Served: 15, Response: 0.35, Quality: 4.0}}},
			{Name: "commune-d", Counters: []Counter{{Name: "commune-d", Served: 20, Response: 0.40, Quality: 4.3}}},
			{Name: "commune-e", Counters: []Counter{{Name: "commune-e", Served: 12, Response: 0.40, Quality: 3.8}}},
		},
		Weekday:         [7]float64{0, 1.3, 1.05, 1.0, 0.95, 0.85, 0},
		DaySpread:       0.2,
		Profile:         profile,
		FridayAfternoon: 0.6,
		Evening:         0.20,
		Morning:         0.05,
		Later:           0.05,
		WiFi:            0.4,
		NATPool:         150,
		UserAgents:      5,
		QueueDays:       0.15,
		QueueMin:        4,
		QueueMax:        8,
		QueueSpread:     3 * time.Minute,
		StraightFive:    0.25,
		StraightFour:    0.05,
		NoOpinion:       0.03,
		AttacksMin:      4,
		AttacksMax:      6,
		BurstSizes:      []int{5, 10, 20, 50},
		VariedSizes:     []int{10, 20},
		OffHoursSize:    15,
	}
}

// Kinds lists the attack kinds of cfg in the order they are reported.
func (cfg Config) Kinds() []Kind {
	var out []Kind
	for _, t := range []string{BurstOneDevice, BurstThreeDevices} {
		for _, s := range cfg.BurstSizes {
			out = append(out, Kind{t, s})
		}
	}
	for _, t := range []string{BurstOneDeviceVaried, BurstThreeDevicesVaried} {
		for _, s := range cfg.VariedSizes {
			out = append(out, Kind{t, s})
		}
	}
	return append(out, Kind{OffHoursPhone, cfg.OffHoursSize}, Kind{OffHoursKiosk, cfg.OffHoursSize},
		Kind{Type: Drip}, Kind{Type: KioskColleague})
}

// Unit is one counter of the month, with its agency.
type Unit struct {
	ID, Agency int64
	Counter
}

// Rating is a generated rating with its label.
type Rating struct {
	integrity.Rating
	Agency int64
	// Attack is the index in Month.Attacks of the attack that injected it,
	// -1 for an honest rating.
	Attack int
	// Pattern is how an honest rating arrived (Pattern*), or the attack
	// type.
	Pattern string
	// WiFi: the client is the agency's office address (Wi-Fi or kiosk).
	WiFi bool
}

// Attack is one injected attack.
type Attack struct {
	Kind
	Unit    int64  `json:"unit"`
	Date    string `json:"date"`
	N       int    `json:"n"` // ratings injected
	Devices int    `json:"devices"`
}

// Month is a generated month: the units, the dates (history then
// evaluated), every rating sorted by time with ids from 1, and the attacks.
type Month struct {
	Seed     uint64
	Config   Config
	Units    []Unit
	Calendar *integrity.Calendar
	Dates    []string
	// Eval is the index in Dates of the first evaluated day.
	Eval    int
	Ratings []Rating
	Attacks []Attack
}

// Rating returns the rating with the given id (ids are 1..len(Ratings)).
func (m *Month) Rating(id int64) *Rating { return &m.Ratings[id-1] }
