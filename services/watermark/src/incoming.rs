//! Receiving a client-streamed PDF into a temporary file: hashed and counted as it
//! arrives, refused as soon as it passes the limit, and removed whenever it is dropped
//! (a failed upload leaves nothing behind).

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;
use uuid::Uuid;

use pst_kit::AppError;

/// A received file, deleted on drop.
#[derive(Debug)]
pub struct Received {
    path: PathBuf,
    pub size: u64,
    pub sha256: [u8; 32],
    pub filename: String,
}

impl Received {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Removes partial files a crashed process left behind (older than an hour).
pub fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        if old && e.path().extension().is_some_and(|x| x == "part") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes `first` and then every data piece of `rest` to a new file under `dir`.
pub async fn receive<S>(
    dir: &Path,
    filename: &str,
    first: Bytes,
    mut rest: S,
    max: u64,
) -> Result<Received, AppError>
where
    S: Stream<Item = Result<Bytes, tonic::Status>> + Unpin,
{
    let path = dir.join(format!("{}.part", Uuid::new_v4()));
    let guard = Partial(path.clone());
    let file = tokio::fs::File::create(&path)
        .await
        .map_err(pst_kit::storage::unavailable)?;
    let mut out = tokio::io::BufWriter::with_capacity(1 << 20, file);
    let mut hash = Sha256::new();
    let mut size = 0u64;
    let mut piece = Some(Ok(first));
    while let Some(next) = piece {
        let data = next.map_err(|s: tonic::Status| {
            tracing::info!(error = %s.message(), received = size, "upload cut off");
            AppError::Rejected {
                code: "UPLOAD_INCOMPLETE",
                detail: "Unggahan terputus sebelum selesai; tidak ada yang disimpan.".into(),
            }
        })?;
        size += data.len() as u64;
        if size > max {
            return Err(AppError::TooLarge {
                code: "DOCUMENT_TOO_LARGE",
                detail: format!("Berkas melebihi batas {} MB.", max.div_ceil(1 << 20)),
            });
        }
        hash.update(&data);
        out.write_all(&data)
            .await
            .map_err(pst_kit::storage::unavailable)?;
        piece = rest.next().await;
    }
    out.flush().await.map_err(pst_kit::storage::unavailable)?;
    if size == 0 {
        return Err(AppError::Rejected {
            code: "NOT_A_PDF",
            detail: "Berkas kosong.".into(),
        });
    }
    std::mem::forget(guard);
    Ok(Received {
        path,
        size,
        sha256: hash.finalize().into(),
        filename: filename.chars().take(200).collect(),
    })
}
