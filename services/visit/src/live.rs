//! The live queue in Redis: numbering, waiting lines, counter state and the event stream of
//! each office. Every multi-key change is one Lua script (atomic); nothing is
//! read-modified-written from Rust. All keys of an office-day share one hash tag; the
//! office's event stream does not, so these scripts need a single Redis (or Sentinel), not
//! Cluster.
//!
//! Each office-day has a `ready` marker. A script that finds it missing answers `NOTREADY`:
//! Redis lost its state (restart, flush, failover), and the caller rebuilds it from
//! Postgres — the record — before retrying.

use chrono::NaiveDate;
use pst_kit::AppError;
use pst_kit::redis::Conn;
use pst_kit::redis::redis::{self, Script, Value};
use pst_kit::redis::unavailable;
use uuid::Uuid;

/// An anonymous kiosk: counted per device and, since the device id is the client's to
/// choose, per client address too.
#[derive(Debug, Clone, Copy)]
pub struct Kiosk<'a> {
    pub client: &'a str,
    pub device: &'a str,
    pub device_limit: u32,
    pub client_limit: u32,
}

/// What taking a number gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    Number {
        seq: i64,
        number: i64,
    },
    /// The kiosk took too many numbers this minute.
    RateLimited,
}

/// A script's answer when the office-day's live state is missing.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    Ready(T),
    NotReady,
}

#[derive(Clone)]
pub struct Live {
    conn: Conn,
    prefix: String,
    take: Script,
    enqueue: Script,
    call_next: Script,
    requeue: Script,
    move_line: Script,
    remove: Script,
    counter: Script,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Keys of one office-day.
#[derive(Debug, Clone)]
pub struct Day {
    base: String,
    events: String,
}

impl Day {
    fn ready(&self) -> String {
        format!("{}:ready", self.base)
    }
    fn lock(&self) -> String {
        format!("{}:rebuilding", self.base)
    }
    fn seq(&self) -> String {
        format!("{}:seq", self.base)
    }
    fn num(&self, prefix: &str) -> String {
        format!("{}:num:{prefix}", self.base)
    }
    fn line(&self, service_type: &str) -> String {
        format!("{}:line:{service_type}", self.base)
    }
    fn counter(&self, counter: &str) -> String {
        format!("{}:counter:{counter}", self.base)
    }
}

/// Live state is kept two days, then Redis forgets it by itself.
const DAY_TTL_SECS: i64 = 2 * 24 * 3600;
/// Events kept per office for late display boards (approximate trim).
const EVENTS_KEPT: i64 = 1000;

const NOT_READY: &str = "if redis.call('EXISTS', KEYS[1]) == 0 then return 'NOTREADY' end\n";

/// What a rebuild restores for one office-day, read from Postgres.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub max_seq: i64,
    /// (prefix, highest number issued)
    pub numbers: Vec<(String, i64)>,
    /// (service type, ticket id, seq) of every waiting ticket
    pub waiting: Vec<(String, Uuid, i64)>,
    /// (counter, ticket id, display number, status) of every counter busy with a ticket
    pub counters: Vec<(String, Uuid, String, String)>,
}

/// One counter as the board shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterNow {
    pub ticket: String,
    pub number: String,
    pub status: String,
}

impl Live {
    pub fn new(conn: Conn, prefix: &str) -> Self {
        Self {
            conn,
            prefix: format!("{prefix}visit:"),
            // ARGV[1], ARGV[2]: per-minute limits of the kiosk device (KEYS[4]) and of its
            // client address (KEYS[5]); 0 = not rate-limited (signed-in visitors, staff).
            take: Script::new(&format!(
                "{NOT_READY}if ARGV[1] ~= '0' then\n\
                   for i = 4, 5 do\n\
                     local n = redis.call('INCR', KEYS[i])\n\
                     if n == 1 then redis.call('EXPIRE', KEYS[i], 120) end\n\
                     if n > tonumber(ARGV[i - 3]) then return 'LIMITED' end\n\
                   end\n\
                 end\n\
                 local seq = redis.call('INCR', KEYS[2])\nlocal num = redis.call('INCR', KEYS[3])\n\
                 redis.call('EXPIRE', KEYS[3], {DAY_TTL_SECS})\nreturn {{seq, num}}"
            )),
            // Returns the ticket's place in its line (0 = first).
            enqueue: Script::new(&format!(
                "{NOT_READY}redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])\n\
                 redis.call('EXPIRE', KEYS[2], {DAY_TTL_SECS})\n\
                 redis.call('XADD', KEYS[3], 'MAXLEN', '~', {EVENTS_KEPT}, '*', 'event', ARGV[3])\n\
                 return redis.call('ZRANK', KEYS[2], ARGV[1])"
            )),
            // The oldest waiting ticket over the given lines, removed in the same step, so
            // concurrent counters can never take the same ticket.
            call_next: Script::new(&format!(
                "{NOT_READY}local best, score, line = nil, nil, nil\n\
                 for i = 2, #KEYS do\n\
                   local r = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')\n\
                   if r[1] and (score == nil or tonumber(r[2]) < score) then best = r[1]; score = tonumber(r[2]); line = i end\n\
                 end\n\
                 if not best then return {{}} end\n\
                 redis.call('ZREM', KEYS[line], best)\nreturn {{best, tostring(score), line - 2}}"
            )),
            requeue: Script::new(&format!(
                "{NOT_READY}redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])\nredis.call('EXPIRE', KEYS[2], {DAY_TTL_SECS})\nreturn 1"
            )),
            // Transfer: out of one line and into another in one step.
            move_line: Script::new(&format!(
                "{NOT_READY}redis.call('ZREM', KEYS[2], ARGV[1])\n\
                 redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])\nredis.call('EXPIRE', KEYS[3], {DAY_TTL_SECS})\n\
                 redis.call('XADD', KEYS[4], 'MAXLEN', '~', {EVENTS_KEPT}, '*', 'event', ARGV[3])\nreturn 1"
            )),
            remove: Script::new(&format!(
                "{NOT_READY}return redis.call('ZREM', KEYS[2], ARGV[1])"
            )),
            counter: Script::new(&format!(
                "{NOT_READY}if ARGV[1] == '' then redis.call('DEL', KEYS[2]) else\n\
                   redis.call('HSET', KEYS[2], 'ticket', ARGV[1], 'number', ARGV[2], 'status', ARGV[3])\n\
                   redis.call('EXPIRE', KEYS[2], {DAY_TTL_SECS}) end\n\
                 if ARGV[4] ~= '' then redis.call('XADD', KEYS[3], 'MAXLEN', '~', {EVENTS_KEPT}, '*', 'event', ARGV[4]) end\n\
                 return 1"
            )),
        }
    }

    pub fn day(&self, office: &str, day: NaiveDate) -> Day {
        // `{office}` is the hash tag of every key of the office: its days and its event
        // stream, which the scripts touch together, share one Redis Cluster slot.
        Day {
            base: format!("{}{{{office}}}:{day}", self.prefix),
            events: self.events_key(office),
        }
    }

    pub fn events_key(&self, office: &str) -> String {
        format!("{}{{{office}}}:events", self.prefix)
    }

    fn conn(&self) -> Conn {
        self.conn.clone()
    }

    /// Next (seq, number) for a line with `prefix`.
    /// Next (seq, number) for a line with `prefix`. With a `kiosk` (client key, limit per
    /// minute), its count for this minute is checked in the same step.
    pub async fn take(
        &self,
        day: &Day,
        prefix: &str,
        kiosk: Option<Kiosk<'_>>,
    ) -> Result<Outcome<Taken>, AppError> {
        let minute = chrono::Utc::now().timestamp() / 60;
        let (device_key, client_key, device_limit, client_limit) = match kiosk {
            Some(k) => (
                format!("{}:rl:{}/{}:{minute}", day.base, k.client, k.device),
                format!("{}:rl:{}:{minute}", day.base, k.client),
                k.device_limit.max(1),
                k.client_limit.max(1),
            ),
            None => (day.seq(), day.seq(), 0, 0),
        };
        let v: Value = self
            .take
            .key(day.ready())
            .key(day.seq())
            .key(day.num(prefix))
            .key(device_key)
            .key(client_key)
            .arg(device_limit)
            .arg(client_limit)
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        match v {
            Value::Array(items) if items.len() == 2 => {
                let seq: i64 = parse(items[0].clone())?;
                let num: i64 = parse(items[1].clone())?;
                Ok(Outcome::Ready(Taken::Number { seq, number: num }))
            }
            ref other if is_text(other, "LIMITED") => Ok(Outcome::Ready(Taken::RateLimited)),
            _ => Ok(Outcome::NotReady),
        }
    }

    /// Puts a ticket in its line; answers its place there (0 = next).
    pub async fn enqueue(
        &self,
        day: &Day,
        line: &str,
        ticket: Uuid,
        seq: i64,
        event: &str,
    ) -> Result<Outcome<u32>, AppError> {
        let v: Value = self
            .enqueue
            .key(day.ready())
            .key(day.line(line))
            .key(&day.events)
            .arg(ticket.to_string())
            .arg(seq)
            .arg(event)
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        match v {
            Value::Int(rank) => Ok(Outcome::Ready(u32::try_from(rank).unwrap_or(u32::MAX))),
            _ => Ok(Outcome::NotReady),
        }
    }

    /// Pops the oldest waiting ticket of `lines`: (ticket, seq, index of its line), or none.
    pub async fn call_next(
        &self,
        day: &Day,
        lines: &[String],
    ) -> Result<Outcome<Option<(Uuid, i64, usize)>>, AppError> {
        let mut inv = self.call_next.key(day.ready());
        for l in lines {
            inv.key(day.line(l));
        }
        let v: Value = inv
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        match v {
            Value::Array(items) if items.is_empty() => Ok(Outcome::Ready(None)),
            Value::Array(items) if items.len() == 3 => {
                let id: String = parse(items[0].clone())?;
                let score: String = parse(items[1].clone())?;
                let line: usize = parse(items[2].clone())?;
                let id = Uuid::parse_str(&id).map_err(|e| {
                    AppError::internal(anyhow::anyhow!("bad ticket id in Redis: {e}"))
                })?;
                let seq = score
                    .parse::<f64>()
                    .map_err(|e| AppError::internal(anyhow::anyhow!("bad score in Redis: {e}")))?
                    as i64;
                Ok(Outcome::Ready(Some((id, seq, line))))
            }
            _ => Ok(Outcome::NotReady),
        }
    }

    /// Puts a ticket (back) in a line at its original place.
    pub async fn requeue(
        &self,
        day: &Day,
        line: &str,
        ticket: Uuid,
        seq: i64,
    ) -> Result<Outcome<()>, AppError> {
        let v: Value = self
            .requeue
            .key(day.ready())
            .key(day.line(line))
            .arg(ticket.to_string())
            .arg(seq)
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        Ok(ok_or_not_ready(&v))
    }

    /// Moves a ticket from one line to another (transfer), keeping its place.
    pub async fn move_line(
        &self,
        day: &Day,
        from: &str,
        to: &str,
        ticket: Uuid,
        seq: i64,
        event: &str,
    ) -> Result<Outcome<()>, AppError> {
        let v: Value = self
            .move_line
            .key(day.ready())
            .key(day.line(from))
            .key(day.line(to))
            .key(&day.events)
            .arg(ticket.to_string())
            .arg(seq)
            .arg(event)
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        Ok(ok_or_not_ready(&v))
    }

    /// Marks the office-day's live state as untrustworthy, so the next step rebuilds it from
    /// Postgres. Used when a live step failed after the record was written.
    pub async fn invalidate(&self, day: &Day) -> Result<(), AppError> {
        redis::cmd("DEL")
            .arg(day.ready())
            .query_async::<()>(&mut self.conn())
            .await
            .map_err(unavailable)
    }

    /// Releases the rebuild lock (after a failed rebuild, so others need not wait it out).
    pub async fn unlock_rebuild(&self, day: &Day) -> Result<(), AppError> {
        redis::cmd("DEL")
            .arg(day.lock())
            .query_async::<()>(&mut self.conn())
            .await
            .map_err(unavailable)
    }

    /// The id of the office's newest event ("0" when none), to follow the stream from.
    pub async fn last_event_id(&self, office: &str) -> Result<String, AppError> {
        let reply: redis::streams::StreamRangeReply = redis::cmd("XREVRANGE")
            .arg(self.events_key(office))
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(1)
            .query_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        Ok(reply
            .ids
            .first()
            .map_or_else(|| "0".to_owned(), |i| i.id.clone()))
    }

    pub async fn remove(
        &self,
        day: &Day,
        line: &str,
        ticket: Uuid,
    ) -> Result<Outcome<()>, AppError> {
        let v: Value = self
            .remove
            .key(day.ready())
            .key(day.line(line))
            .arg(ticket.to_string())
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        match v {
            Value::Int(_) => Ok(Outcome::Ready(())),
            _ => Ok(Outcome::NotReady),
        }
    }

    /// Sets what a counter shows (`None` clears it) and publishes `event` if not empty.
    pub async fn set_counter(
        &self,
        day: &Day,
        counter: &str,
        now: Option<(Uuid, &str, &str)>,
        event: &str,
    ) -> Result<Outcome<()>, AppError> {
        let (ticket, number, status) =
            now.map_or((String::new(), "", ""), |(t, n, s)| (t.to_string(), n, s));
        let v: Value = self
            .counter
            .key(day.ready())
            .key(day.counter(counter))
            .key(&day.events)
            .arg(ticket)
            .arg(number)
            .arg(status)
            .arg(event)
            .invoke_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        Ok(ok_or_not_ready(&v))
    }

    /// Waiting counts per line and what each counter shows, in one round trip.
    pub async fn snapshot(
        &self,
        day: &Day,
        lines: &[String],
        counters: &[String],
    ) -> Result<Outcome<(Vec<u64>, Vec<CounterNow>)>, AppError> {
        let mut p = redis::pipe();
        p.exists(day.ready());
        for l in lines {
            p.zcard(day.line(l));
        }
        for c in counters {
            p.hgetall(day.counter(c));
        }
        let mut out: Vec<Value> = p.query_async(&mut self.conn()).await.map_err(unavailable)?;
        let ready: bool = parse(out.remove(0))?;
        if !ready {
            return Ok(Outcome::NotReady);
        }
        let counts = out
            .drain(..lines.len())
            .map(parse::<u64>)
            .collect::<Result<Vec<_>, _>>()?;
        let states = out
            .into_iter()
            .map(|v| {
                let map: std::collections::HashMap<String, String> = parse(v)?;
                Ok(CounterNow {
                    ticket: map.get("ticket").cloned().unwrap_or_default(),
                    number: map.get("number").cloned().unwrap_or_default(),
                    status: map.get("status").cloned().unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(Outcome::Ready((counts, states)))
    }

    /// Tries to become the one rebuilding this office-day; false if another is at it.
    pub async fn lock_rebuild(&self, day: &Day) -> Result<bool, AppError> {
        let set: Option<String> = redis::cmd("SET")
            .arg(day.lock())
            .arg("1")
            .arg("NX")
            .arg("PX")
            .arg(10_000)
            .query_async(&mut self.conn())
            .await
            .map_err(unavailable)?;
        Ok(set.is_some())
    }

    pub async fn is_ready(&self, day: &Day) -> Result<bool, AppError> {
        redis::cmd("EXISTS")
            .arg(day.ready())
            .query_async(&mut self.conn())
            .await
            .map_err(unavailable)
    }

    /// Replaces the office-day's live state with `snap` in one MULTI/EXEC, marks it ready
    /// and releases the rebuild lock.
    pub async fn restore(
        &self,
        day: &Day,
        lines: &[String],
        counters: &[String],
        snap: &Snapshot,
    ) -> Result<(), AppError> {
        let mut p = redis::pipe();
        p.atomic();
        p.del(day.seq()).ignore();
        for l in lines {
            p.del(day.line(l)).ignore();
        }
        for c in counters {
            p.del(day.counter(c)).ignore();
        }
        p.set_ex(day.seq(), snap.max_seq, DAY_TTL_SECS as u64)
            .ignore();
        for (prefix, n) in &snap.numbers {
            p.set_ex(day.num(prefix), *n, DAY_TTL_SECS as u64).ignore();
        }
        for (line, id, seq) in &snap.waiting {
            p.zadd(day.line(line), id.to_string(), *seq).ignore();
        }
        for l in lines {
            p.expire(day.line(l), DAY_TTL_SECS).ignore();
        }
        for (counter, id, number, status) in &snap.counters {
            p.hset_multiple(
                day.counter(counter),
                &[
                    ("ticket", id.to_string()),
                    ("number", number.clone()),
                    ("status", status.clone()),
                ],
            )
            .ignore();
            p.expire(day.counter(counter), DAY_TTL_SECS).ignore();
        }
        p.set_ex(day.ready(), "1", DAY_TTL_SECS as u64).ignore();
        p.del(day.lock()).ignore();
        p.query_async::<()>(&mut self.conn())
            .await
            .map_err(unavailable)
    }

    /// Publishes an event on the office's stream (for display boards).
    pub async fn publish(&self, office: &str, event: &str) -> Result<(), AppError> {
        redis::cmd("XADD")
            .arg(self.events_key(office))
            .arg("MAXLEN")
            .arg("~")
            .arg(EVENTS_KEPT)
            .arg("*")
            .arg("event")
            .arg(event)
            .query_async::<()>(&mut self.conn())
            .await
            .map_err(unavailable)
    }
}

fn ok_or_not_ready(v: &Value) -> Outcome<()> {
    match v {
        Value::Int(_) => Outcome::Ready(()),
        _ => Outcome::NotReady,
    }
}

fn parse<T: redis::FromRedisValue>(v: Value) -> Result<T, AppError> {
    redis::from_redis_value(v)
        .map_err(|e| AppError::internal(anyhow::anyhow!("unexpected Redis reply: {e}")))
}

fn is_text(v: &Value, text: &str) -> bool {
    match v {
        Value::SimpleString(s) => s == text,
        Value::BulkString(b) => b == text.as_bytes(),
        _ => false,
    }
}
