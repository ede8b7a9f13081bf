//! The body of a request answered before it was read (a refusal): read and thrown away in
//! the background, so the client gets the answer. A body dropped unread makes hyper close
//! the connection under a client still sending (an upload of megabytes), who then sees a
//! broken pipe instead of the refusal.

use futures::StreamExt as _;

/// At most this much of a refused upload is still read (and thrown away), so the client
/// gets its answer instead of a broken pipe; a larger body is cut off.
const DRAIN_MAX: u64 = 16 * 1024 * 1024;
const DRAIN_FOR: std::time::Duration = std::time::Duration::from_secs(15);

/// Reads and discards what the client is still sending, in the background: the answer
/// (a refusal) goes out at once, and the connection stays readable until the client is
/// done, up to `DRAIN_MAX` bytes or `DRAIN_FOR`.
pub fn drain(mut body: axum::body::BodyDataStream) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    rt.spawn(async move {
        let mut seen = 0u64;
        let _ = tokio::time::timeout(DRAIN_FOR, async {
            while let Some(Ok(b)) = body.next().await {
                seen += b.len() as u64;
                if seen > DRAIN_MAX {
                    break;
                }
            }
        })
        .await;
    });
}
