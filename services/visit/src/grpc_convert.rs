//! Conversions between the visit domain and its protobuf messages.

use pst_proto::visit as pb;

use crate::domain::clock::{OfficeClock, fmt_opt};
use crate::domain::guest_book::GuestBook;
use crate::domain::ticket::Status as TicketStatus;
use crate::service::{BoardView, Report};
use crate::store::custody::CustodyRow;
use crate::store::setup::Setup;
use crate::store::tickets::TicketRow;
use crate::store::visits::VisitRow;

pub(crate) fn ticket_pb(t: &TicketRow, position: u32, clock: &OfficeClock) -> pb::Ticket {
    pb::Ticket {
        id: t.id.to_string(),
        office_code: t.office_code.clone(),
        number: t.display_number(),
        service_type: t.service_type.clone(),
        status: t.status().to_pb(),
        counter: t.counter.clone().unwrap_or_default(),
        call_count: u32::try_from(t.call_count).unwrap_or(0),
        taken_at: clock.rfc3339(t.taken_at),
        called_at: fmt_opt(clock, t.called_at),
        started_at: fmt_opt(clock, t.started_at),
        finished_at: fmt_opt(clock, t.finished_at),
        service_day: t.service_day.to_string(),
        position,
        visit_id: t.visit_id.map(|v| v.to_string()).unwrap_or_default(),
    }
}

pub(crate) fn guest_book_pb(g: GuestBook) -> pb::GuestBook {
    pb::GuestBook {
        name: g.name,
        email: g.email,
        phone: g.phone,
        sex: g.sex,
        age_group: g.age_group,
        education: g.education,
        occupation: g.occupation,
        institution_type: g.institution_type,
        institution_name: g.institution_name,
        purpose: g.purpose,
        data_needed: g.data_needed,
    }
}

pub(crate) fn guest_book(g: Option<pb::GuestBook>) -> GuestBook {
    let g = g.unwrap_or_default();
    GuestBook {
        name: g.name,
        email: g.email,
        phone: g.phone,
        sex: g.sex,
        age_group: g.age_group,
        education: g.education,
        occupation: g.occupation,
        institution_type: g.institution_type,
        institution_name: g.institution_name,
        purpose: g.purpose,
        data_needed: g.data_needed,
    }
}

pub(crate) fn custody_pb(c: &CustodyRow, clock: &OfficeClock) -> pb::Custody {
    pb::Custody {
        id: c.id.to_string(),
        locker: u32::try_from(c.locker).unwrap_or(0),
        id_type: c.id_type.clone(),
        id_number_masked: c.id_number_masked.clone(),
        received_at: clock.rfc3339(c.received_at),
        received_by: c.received_by.to_string(),
        returned_at: fmt_opt(clock, c.returned_at),
        returned_to: c.returned_to.clone().unwrap_or_default(),
        visit_id: c.visit_id.to_string(),
        visitor_name: c.visitor_name.clone(),
        ticket_number: c.ticket_number.clone().unwrap_or_default(),
    }
}

pub(crate) fn visit_pb(v: VisitRow, held: Option<&CustodyRow>, clock: &OfficeClock) -> pb::Visit {
    pb::Visit {
        id: v.id.to_string(),
        office_code: v.office_code.clone(),
        ticket_id: v.ticket_id.map(|t| t.to_string()).unwrap_or_default(),
        ticket_number: v.ticket_number.clone().unwrap_or_default(),
        guest_book_at: clock.rfc3339(v.guest_book_at),
        service_started_at: fmt_opt(clock, v.service_started_at),
        ended_at: fmt_opt(clock, v.ended_at),
        custody: held.map(|c| custody_pb(c, clock)),
        service_day: v.service_day.to_string(),
        wait_secs: v.wait_secs(),
        user_id: v.user_id.map(|u| u.to_string()).unwrap_or_default(),
        feedback_code: String::new(),
        guest_book: Some(guest_book_pb(v.guest_book())),
    }
}

/// `staff_view`: the office's own staff asked, so counters carry their ticket ids.
pub(crate) fn board_pb(b: &BoardView, last_event: String, staff_view: bool) -> pb::Board {
    let clock = &b.setup.clock;
    pb::Board {
        office_code: b.setup.code.clone(),
        service_day: b.day.to_string(),
        counters: b
            .counters
            .iter()
            .map(|(code, name, now)| pb::CounterState {
                counter: code.clone(),
                name: name.clone(),
                number: now.number.clone(),
                status: TicketStatus::parse(&now.status).map_or(0, TicketStatus::to_pb),
                ticket_id: if staff_view {
                    now.ticket.clone()
                } else {
                    String::new()
                },
            })
            .collect(),
        lines: b
            .lines
            .iter()
            .map(|l| pb::LineState {
                service_type: l.code.clone(),
                name: l.name.clone(),
                prefix: l.prefix.clone(),
                waiting: u32::try_from(l.waiting).unwrap_or(u32::MAX),
                estimated_wait_secs: l.estimated_wait_secs,
            })
            .collect(),
        flags: b
            .flags
            .iter()
            .map(|(n, w, l)| pb::PromiseFlag {
                number: n.clone(),
                waited_secs: *w,
                level: l.as_str().to_owned(),
            })
            .collect(),
        generated_at: clock.rfc3339(b.generated_at),
        local_time: clock.hhmm(b.generated_at),
        last_event,
    }
}

pub(crate) fn setup_pb(s: &Setup) -> pb::OfficeSetup {
    pb::OfficeSetup {
        office_code: s.code.clone(),
        name: s.name.clone(),
        time_zone: s.time_zone.clone(),
        opens_at: s.opens_at.format("%H:%M").to_string(),
        closes_at: s.closes_at.format("%H:%M").to_string(),
        open_days: s
            .open_days
            .iter()
            .map(|d| u32::try_from(*d).unwrap_or(0))
            .collect(),
        service_types: s
            .service_types
            .iter()
            .map(|t| pb::ServiceType {
                code: t.code.clone(),
                prefix: t.prefix.clone(),
                name: t.name.clone(),
            })
            .collect(),
        counters: s
            .counters
            .iter()
            .map(|c| pb::Counter {
                code: c.code.clone(),
                name: c.name.clone(),
                service_types: c.service_types.clone(),
            })
            .collect(),
        lockers: u32::try_from(s.lockers).unwrap_or(0),
        holidays: s.holidays.iter().map(ToString::to_string).collect(),
    }
}

pub(crate) fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Answers of one guest-book question listed one by one; free-text answers (purpose,
/// occupation) can be many, and the rest are summed as "Lainnya".
const TALLY_TOP: usize = 15;

/// The answers to one guest-book question, most given first.
pub(crate) fn tally(rows: &[(String, String, i64)], column: &str) -> Vec<pb::Tally> {
    let mut all: Vec<(&str, i64)> = rows
        .iter()
        .filter(|(c, _, _)| c == column)
        .map(|(_, k, n)| (k.as_str(), *n))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rest: i64 = all.iter().skip(TALLY_TOP).map(|(_, n)| n).sum();
    let mut out: Vec<pb::Tally> = all
        .into_iter()
        .take(TALLY_TOP)
        .map(|(k, n)| pb::Tally {
            key: k.to_owned(),
            count: count(n),
        })
        .collect();
    if rest > 0 {
        out.push(pb::Tally {
            key: "Lainnya".into(),
            count: count(rest),
        });
    }
    out
}

/// The service-time report with its per-day and per-answer aggregates.
pub(crate) fn report_pb(rep: &Report) -> pb::ServiceTimeReport {
    let t = &rep.times;
    pb::ServiceTimeReport {
        office_code: rep.office.clone(),
        from: rep.from.to_string(),
        to: rep.to.to_string(),
        visits: u32::try_from(t.visits).unwrap_or(u32::MAX),
        served: u32::try_from(t.served).unwrap_or(u32::MAX),
        median_wait_secs: t.median.unwrap_or(0.0),
        p90_wait_secs: t.p90.unwrap_or(0.0),
        within_promise_share: if t.served > 0 {
            t.within as f64 / t.served as f64
        } else {
            0.0
        },
        promise_secs: rep.promise_secs,
        visit_times: rep
            .visit_times
            .iter()
            .map(|v| {
                let at = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map(|t| rep.clock.rfc3339(t)).unwrap_or_default()
                };
                pb::VisitTimes {
                    visit_id: v.id.to_string(),
                    ticket_number: v.ticket_number.clone(),
                    service_day: v.service_day.to_string(),
                    counter: v.counter.clone(),
                    taken_at: at(v.taken_at),
                    guest_book_at: rep.clock.rfc3339(v.guest_book_at),
                    called_at: at(v.called_at),
                    started_at: at(v.started_at),
                    finished_at: at(v.finished_at),
                    wait_secs: v.started_at.map(|s| {
                        u32::try_from((s - v.guest_book_at).num_seconds().max(0))
                            .unwrap_or(u32::MAX)
                    }),
                }
            })
            .collect(),
        visit_times_truncated: rep.visit_times_truncated,
        breaches: rep
            .breaches
            .iter()
            .map(|(n, d, c, w, v)| pb::Breach {
                ticket_number: n.clone(),
                service_day: d.to_string(),
                counter: c.clone(),
                wait_secs: w.round() as u32,
                visit_id: v.to_string(),
            })
            .collect(),
        days: rep
            .days
            .iter()
            .map(|(d, v, s, w)| pb::DayTimes {
                day: d.to_string(),
                visits: count(*v),
                served: count(*s),
                within_promise: count(*w),
            })
            .collect(),
        wait_minutes: rep
            .wait_minutes
            .iter()
            .enumerate()
            .map(|(i, n)| pb::Tally {
                key: crate::store::report::WAIT_BUCKETS
                    .get(i)
                    .map(|hi| {
                        let lo = i
                            .checked_sub(1)
                            .map_or(0, |j| crate::store::report::WAIT_BUCKETS[j]);
                        format!("{lo}-{hi}")
                    })
                    .unwrap_or_else(|| format!("{}+", crate::store::report::WAIT_BUCKETS[i - 1])),
                count: count(*n),
            })
            .collect(),
        by_purpose: tally(&rep.tallies, "purpose"),
        by_occupation: tally(&rep.tallies, "occupation"),
        by_education: tally(&rep.tallies, "education"),
        by_sex: tally(&rep.tallies, "sex"),
        by_age_group: tally(&rep.tallies, "age_group"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_free_text_answers_end_in_one_other_row() {
        let rows: Vec<(String, String, i64)> = (0..40)
            .map(|i| ("purpose".to_owned(), format!("keperluan {i}"), 100 - i))
            .chain([("sex".to_owned(), "L".to_owned(), 3)])
            .collect();
        let t = tally(&rows, "purpose");
        assert_eq!(t.len(), TALLY_TOP + 1);
        assert_eq!(t[0].key, "keperluan 0");
        assert_eq!(t[TALLY_TOP].key, "Lainnya");
        let total: u32 = t.iter().map(|x| x.count).sum();
        assert_eq!(total, (61..=100).sum::<u32>(), "nothing lost");
        assert_eq!(tally(&rows, "sex").len(), 1);
    }
}
