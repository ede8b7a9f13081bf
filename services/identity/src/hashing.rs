//! A small fixed pool of threads for argon2 work. Each hash takes ~19 MiB and tens of
//! milliseconds of CPU; running them on Tokio's blocking pool let a login burst spread
//! them over many threads (and many allocator arenas), so memory grew with the burst.
//! Here at most one hash per core runs at once, and a bounded queue sheds load with a
//! clear "busy" answer instead of growing.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use pst_kit::AppError;

use crate::domain::password::{self, Memory};

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

#[derive(Debug, Clone)]
pub struct HashPool {
    tx: SyncSender<Job>,
}

impl HashPool {
    /// `threads` workers (at least one) and room for `queue` waiting jobs.
    pub fn new(threads: usize, queue: usize) -> Self {
        let (tx, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || worker(&rx))
                .expect("BUG: cannot spawn a hashing thread");
        }
        Self { tx }
    }

    /// One worker per available core.
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self::new(cores, 256)
    }

    /// argon2id hash of `password` (PHC string).
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move |mem| password::hash(&password, mem))
            .await?
            .map_err(AppError::Internal)
    }

    /// Whether `password` matches the stored PHC string.
    pub async fn verify(&self, password: String, phc: String) -> Result<bool, AppError> {
        self.run(move |mem| password::verify(&password, &phc, mem))
            .await
    }

    /// Runs `f` on a worker with that worker's argon2 memory, and waits for its result.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |mem| {
            // The caller may have gone away (request cancelled); nothing to do then.
            let _ = done.send(f(mem));
        });
        self.tx.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => AppError::Unavailable {
                code: "SERVER_BUSY",
                detail: "Server sedang sibuk; coba lagi beberapa detik lagi.".into(),
            },
            TrySendError::Disconnected(_) => {
                AppError::internal(anyhow::anyhow!("hashing pool stopped"))
            }
        })?;
        result
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("hashing job lost")))
    }
}

fn worker(rx: &Mutex<Receiver<Job>>) {
    let mut memory = Memory::new();
    loop {
        let job = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&mut memory),
            Err(_) => return, // every sender dropped: the service is gone
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_sheds_load_when_the_queue_is_full() {
        let pool = HashPool::new(1, 1);
        assert_eq!(pool.run(|_| 2 + 2).await.expect("runs"), 4);

        let (release, wait) = std::sync::mpsc::channel::<()>();
        let busy = pool.clone();
        let blocker = tokio::spawn(async move { busy.run(move |_| wait.recv().ok()).await });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let queued = pool.clone();
        let waiting = tokio::spawn(async move { queued.run(|_| 1).await });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;

        let shed = pool.run(|_| 0).await.unwrap_err();
        assert_eq!(shed.code(), "SERVER_BUSY");
        release.send(()).expect("release");
        blocker.await.expect("join").expect("ran");
        assert_eq!(waiting.await.expect("join").expect("ran"), 1);
    }
}
