//! Where softcopies live: `object_store`, a local folder by default or an S3-compatible
//! bucket by configuration. Objects are named by their SHA-256, written once, and read in
//! ranges; a local file is read directly in large pieces. The watermark service writes
//! and reads; a gateway delivering copies directly only reads.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::AppError;
use bytes::Bytes;
use futures::StreamExt as _;
use futures::stream::BoxStream;
pub use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, GetResultPayload, ObjectStore, WriteMultipart};

/// Reads `n` bytes at `at` into a new buffer without zero-filling it first (the read
/// fills it), returning the file for the next piece.
fn read_piece(mut file: std::fs::File, at: u64, n: u64) -> std::io::Result<(std::fs::File, Bytes)> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    let mut buf = Vec::with_capacity(n as usize);
    (&mut file).take(n).read_to_end(&mut buf)?;
    if buf.len() as u64 != n {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "stored document shorter than recorded",
        ));
    }
    Ok((file, Bytes::from(buf)))
}

/// How long a question about the store (not a transfer) may take: a bucket that accepts
/// connections but does not answer is unavailable, not slow.
const QUICK: std::time::Duration = std::time::Duration::from_secs(10);

async fn quick<T>(
    call: impl std::future::Future<Output = object_store::Result<T>>,
) -> Result<(), AppError> {
    match tokio::time::timeout(QUICK, call).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unavailable(e)),
        Err(_) => Err(unavailable("no answer within 10 s")),
    }
}

#[derive(Debug, Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The folder of a local store (listing a missing folder is not an error there).
    local_root: Option<std::path::PathBuf>,
    chunk: usize,
}

pub fn unavailable(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "document storage unavailable");
    AppError::Unavailable {
        code: "STORAGE_UNAVAILABLE",
        detail: "Penyimpanan dokumen sedang tidak tersedia; coba lagi sebentar lagi.".into(),
    }
}

impl Storage {
    /// A local folder (created if missing), or the bucket named by `url`.
    pub fn from_settings(s: &crate::config::WatermarkSettings) -> anyhow::Result<Self> {
        Self::build(s, true)
    }

    /// The storage another component writes, for reading: a local folder must exist
    /// already (a missing one is a mounting mistake, reported at start-up).
    pub fn existing(s: &crate::config::WatermarkSettings) -> anyhow::Result<Self> {
        Self::build(s, false)
    }

    fn build(s: &crate::config::WatermarkSettings, create: bool) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = if s.storage_url.is_empty() {
            if create {
                std::fs::create_dir_all(&s.storage_dir)?;
            } else if !Path::new(&s.storage_dir).is_dir() {
                anyhow::bail!(
                    "document storage folder {} (watermark.storage_dir) not found: direct \
                     delivery reads the folder the watermark service writes",
                    s.storage_dir
                );
            }
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(
                &s.storage_dir,
            )?)
        } else if let Some(rest) = s.storage_url.strip_prefix("s3://") {
            use object_store::ClientConfigKey as C;
            use object_store::aws::AmazonS3ConfigKey as K;
            // s3://bucket[/prefix]: object_store takes the bucket from such a URL and
            // ignores the path, so the prefix is applied here.
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(
                !bucket.is_empty(),
                "watermark.storage_url must name a bucket: s3://bucket[/prefix]"
            );
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                // A bucket that is down answers 503 within seconds (the default keeps
                // retrying for 3 minutes), while a copy may take as long as a slow client
                // reads it (the default cuts every request at 30 s).
                .with_retry(object_store::RetryConfig {
                    backoff: object_store::BackoffConfig::default(),
                    max_retries: 2,
                    retry_timeout: std::time::Duration::from_secs(10),
                })
                .with_config(K::Client(C::ConnectTimeout), "3s")
                .with_config(K::Client(C::Timeout), "30m")
                .build()?;
            match prefix.trim_matches('/') {
                "" => Arc::new(s3),
                p => Arc::new(object_store::prefix::PrefixStore::new(s3, p)),
            }
        } else {
            anyhow::bail!(
                "watermark.storage_url must be empty (local folder) or s3://bucket[/prefix]"
            );
        };
        Ok(Self {
            store,
            local_root: s
                .storage_url
                .is_empty()
                .then(|| Path::new(&s.storage_dir).to_owned()),
            chunk: s.chunk_kib.clamp(16, 4096) * 1024,
        })
    }

    pub fn key(sha256_hex: &str) -> ObjectPath {
        ObjectPath::from(format!("documents/{sha256_hex}.pdf"))
    }

    /// A key made by [`Storage::key`] from a SHA-256, and nothing else.
    pub fn parse_key(raw: &str) -> Option<ObjectPath> {
        let hex = raw.strip_prefix("documents/")?.strip_suffix(".pdf")?;
        (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Self::key(hex))
    }

    /// Whether the documents can be listed now (credentials, mount): for readiness.
    pub async fn probe(&self) -> Result<(), AppError> {
        if let Some(root) = &self.local_root
            && !root.is_dir()
        {
            return Err(unavailable(format!("{} is not a folder", root.display())));
        }
        quick(
            self.store
                .list_with_delimiter(Some(&ObjectPath::from("documents"))),
        )
        .await
    }

    /// Stores the file at `path` under `key`, streamed in parts (never whole in memory).
    pub async fn put_file(&self, key: &ObjectPath, path: &Path) -> Result<(), AppError> {
        use tokio::io::AsyncReadExt as _;
        let upload = self.store.put_multipart(key).await.map_err(unavailable)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, 5 << 20);
        let copied: Result<(), AppError> = async {
            let mut file = tokio::fs::File::open(path).await.map_err(unavailable)?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = file.read(&mut buf).await.map_err(unavailable)?;
                if n == 0 {
                    return Ok(());
                }
                writer.wait_for_capacity(4).await.map_err(unavailable)?;
                writer.write(&buf[..n]);
            }
        }
        .await;
        match copied {
            Ok(()) => writer.finish().await.map(|_| ()).map_err(unavailable),
            Err(e) => {
                // No parts left behind.
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// Whether the object can be read now (checked before a copy is logged, so no log row
    /// stands for a copy that could not be sent).
    /// Is the object there? A missing original is data loss, not an outage: its own code
    /// (500 `DOCUMENT_FILE_MISSING`, not "try again") and an error log naming the key.
    pub async fn check(&self, key: &ObjectPath) -> Result<(), AppError> {
        match self.exists(key).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                tracing::error!(%key, "a stored original is missing from document storage (data loss: restore it from backup)");
                Err(AppError::DataLoss {
                    code: "DOCUMENT_FILE_MISSING",
                    detail: "Berkas softcopy ini hilang dari penyimpanan. Petugas sudah diberi tahu; silakan hubungi perpustakaan.".into(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the object is there (an unreachable store is an error, not "no").
    pub async fn exists(&self, key: &ObjectPath) -> Result<bool, AppError> {
        match tokio::time::timeout(QUICK, self.store.head(key)).await {
            Ok(Ok(_)) => Ok(true),
            Ok(Err(object_store::Error::NotFound { .. })) => Ok(false),
            Ok(Err(e)) => Err(unavailable(e)),
            Err(_) => Err(unavailable("no answer within 10 s")),
        }
    }

    pub async fn delete(&self, key: &ObjectPath) {
        if let Err(e) = self.store.delete(key).await {
            tracing::warn!(error = %e, %key, "could not delete a stored document");
        }
    }

    /// The bytes of `range` of the object, in pieces of the configured size.
    pub async fn read(
        &self,
        key: &ObjectPath,
        range: Range<u64>,
    ) -> Result<BoxStream<'static, Result<Bytes, AppError>>, AppError> {
        let opts = GetOptions {
            range: Some(GetRange::Bounded(range.clone())),
            ..GetOptions::default()
        };
        let got = self.store.get_opts(key, opts).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => AppError::NotFound {
                code: "DOCUMENT_MISSING",
                detail: "Berkas dokumen tidak ditemukan di penyimpanan.".into(),
            },
            other => unavailable(other),
        })?;
        match got.payload {
            // A local file: read large pieces on the blocking pool (object_store's own
            // stream reads 8 KiB at a time).
            GetResultPayload::File(file, _) => {
                let chunk = self.chunk as u64;
                let end = range.end;
                let pieces =
                    futures::stream::unfold(Some((file, range.start)), move |state| async move {
                        let (file, at) = state?;
                        if at >= end {
                            return None;
                        }
                        let n = chunk.min(end - at);
                        let read =
                            tokio::task::spawn_blocking(move || read_piece(file, at, n)).await;
                        match read {
                            Ok(Ok((file, piece))) => Some((Ok(piece), Some((file, at + n)))),
                            Ok(Err(e)) => Some((Err(unavailable(e)), None)),
                            Err(e) => Some((Err(unavailable(e)), None)),
                        }
                    });
                Ok(pieces.boxed())
            }
            GetResultPayload::Stream(s) => Ok(s.map(|r| r.map_err(unavailable)).boxed()),
        }
    }

    /// A copy's bytes: `original` of the object at `key`, then `appended`, in pieces of at
    /// most the configured size. The object is opened now, so a missing or unreachable one
    /// is an error before anything is sent.
    pub async fn open_copy(
        &self,
        key: &ObjectPath,
        original: Option<Range<u64>>,
        appended: Vec<Bytes>,
    ) -> Result<BoxStream<'static, Result<Bytes, AppError>>, AppError> {
        let head = match original {
            Some(r) => self.read(key, r).await?,
            None => futures::stream::empty().boxed(),
        };
        let chunk = self.chunk;
        let tail = appended
            .into_iter()
            .flat_map(move |b| pieces(b, chunk))
            .map(Ok);
        Ok(head.chain(futures::stream::iter(tail)).boxed())
    }
}

/// `b` in slices of at most `size` bytes.
fn pieces(b: Bytes, size: usize) -> Vec<Bytes> {
    (0..b.len())
        .step_by(size)
        .map(|at| b.slice(at..(at + size).min(b.len())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &Path, chunk_kib: &str) -> crate::config::WatermarkSettings {
        crate::Settings::with_overrides(&[
            (
                "PST_WATERMARK__STORAGE_DIR",
                dir.to_str().expect("utf-8 path"),
            ),
            ("PST_WATERMARK__CHUNK_KIB", chunk_kib),
        ])
        .expect("settings")
        .watermark
    }

    async fn collect(s: BoxStream<'static, Result<Bytes, AppError>>) -> Vec<Bytes> {
        s.map(|r| r.expect("piece")).collect().await
    }

    #[tokio::test]
    async fn a_copy_is_a_range_of_the_original_then_the_appended_bytes_in_pieces() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("docs");
        let writer = Storage::from_settings(&settings(&root, "16")).expect("storage");
        let original: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let file = dir.path().join("in.pdf");
        std::fs::write(&file, &original).expect("write");
        let key = Storage::key("ab12");
        writer.put_file(&key, &file).await.expect("stored");

        // A reader of the same folder, as a gateway delivering directly.
        let reader = Storage::existing(&settings(&root, "16")).expect("existing folder");
        let appended = vec![
            Bytes::from_static(b"wrapped"),
            Bytes::from(vec![7u8; 40_000]),
        ];
        let pieces = collect(
            reader
                .open_copy(&key, Some(10..70_000), appended.clone())
                .await
                .expect("opened"),
        )
        .await;
        assert!(
            pieces.iter().all(|p| p.len() <= 16 * 1024),
            "pieces of the chunk size"
        );
        let got: Vec<u8> = pieces.concat();
        let mut want = original[10..70_000].to_vec();
        want.extend_from_slice(b"wrapped");
        want.extend_from_slice(&[7u8; 40_000]);
        assert_eq!(got, want);

        // Only appended bytes (a range past the original).
        let only = collect(
            reader
                .open_copy(&key, None, appended)
                .await
                .expect("opened"),
        )
        .await;
        assert_eq!(only.concat().len(), 7 + 40_000);
    }

    #[test]
    fn only_keys_of_stored_documents_parse() {
        let sha = "ab".repeat(32);
        assert_eq!(
            Storage::parse_key(&format!("documents/{sha}.pdf")),
            Some(Storage::key(&sha))
        );
        for bad in [
            "documents/../secrets/mark.key",
            "documents/abc.pdf",
            &format!("other/{sha}.pdf"),
            &format!("documents/{}.pdf", "zz".repeat(32)),
            &format!("documents/{sha}.pdf/x"),
        ] {
            assert_eq!(Storage::parse_key(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn a_missing_object_or_folder_is_an_error_before_anything_is_sent() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("docs");
        let s = Storage::from_settings(&settings(&root, "256")).expect("storage");
        let err = s
            .open_copy(&Storage::key("missing"), Some(0..10), vec![])
            .await
            .err()
            .expect("no such object");
        assert!(
            matches!(
                err,
                AppError::NotFound {
                    code: "DOCUMENT_MISSING",
                    ..
                }
            ),
            "{err:?}"
        );
        let elsewhere = dir.path().join("not-mounted");
        let err = Storage::existing(&settings(&elsewhere, "256"))
            .expect_err("a reader does not create the folder");
        assert!(err.to_string().contains("not-mounted"), "{err}");
        assert!(!elsewhere.exists());
        // Readiness: an empty folder is readable; a folder gone is not.
        s.probe().await.expect("empty but readable");
        std::fs::remove_dir_all(&root).expect("remove");
        assert!(s.probe().await.is_err());
    }
}
