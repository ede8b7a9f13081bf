//! The gRPC face of the watermark service: decodes requests, calls [`Watermark`],
//! encodes answers. No rules live here.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt as _};
use tonic::{Request, Response, Status, Streaming};

use pst_proto::watermark as pb;
use pst_proto::watermark::watermark_service_server::WatermarkService;

use crate::incoming;
use crate::marks::Kind;
use crate::service::{Client, Watermark};
use crate::store::{DocumentRow, DownloadRow};

type R<T> = Result<Response<T>, Status>;

/// The service behind the gRPC server.
#[derive(Debug, Clone)]
pub struct WatermarkApi(pub Arc<Watermark>);

fn meta<T>(req: &Request<T>, key: &str) -> Option<String> {
    req.metadata()
        .get(key)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn document(r: DocumentRow, duplicate: bool) -> pb::Document {
    pb::Document {
        id: r.id.to_string(),
        publication_id: r.publication_id.to_string(),
        office_code: r.office_code,
        sha256: r.sha256,
        size_bytes: u64::try_from(r.size_bytes).unwrap_or(0),
        pages: u32::try_from(r.pages).unwrap_or(0),
        xref_kind: r.xref_kind,
        linearized: r.linearized,
        created_at: r.created_at.to_rfc3339(),
        duplicate,
    }
}

pub fn download(d: DownloadRow) -> pb::Download {
    pb::Download {
        id: d.id.to_string(),
        code: d.code,
        kind: d.kind,
        publication_id: d.publication_id.to_string(),
        document_id: d.document_id.to_string(),
        user_id: d.user_id.to_string(),
        user_name: d.user_name,
        user_email: d.user_email,
        office_code: d.office_code,
        issued_at: d.issued_at.to_rfc3339(),
        client_ip: d.client_ip,
        user_agent: d.user_agent,
        publication_title: d.publication_title,
    }
}

/// A head message, then the bytes.
fn chunks(
    head: pb::FetchHead,
    body: BoxStream<'static, Result<bytes::Bytes, pst_kit::AppError>>,
) -> BoxStream<'static, Result<pb::FetchChunk, Status>> {
    let first = pb::FetchChunk {
        part: Some(pb::fetch_chunk::Part::Head(head)),
    };
    stream::once(async { Ok(first) })
        .chain(body.map(|piece| {
            piece
                .map(|b| pb::FetchChunk {
                    part: Some(pb::fetch_chunk::Part::Data(b)),
                })
                .map_err(Status::from)
        }))
        .boxed()
}

async fn first_chunk(stream: &mut Streaming<pb::UploadChunk>) -> Result<pb::UploadChunk, Status> {
    stream.message().await?.ok_or_else(|| {
        pst_kit::AppError::Rejected {
            code: "NOT_A_PDF",
            detail: "Berkas kosong.".into(),
        }
        .into()
    })
}

impl WatermarkApi {
    /// Checks and logs a copy asked for by `Fetch` or `Grant`: its head, and where its
    /// bytes are.
    async fn issue(
        &self,
        req: Request<pb::FetchRequest>,
    ) -> Result<(pb::FetchHead, crate::service::Parts), Status> {
        let caller = self.0.verifier().caller(&req)?;
        let bearer = meta(&req, "authorization");
        let ip = pst_kit::internal::client_ip(&req);
        let r = req.into_inner();
        let kind = Kind::parse(&r.kind)
            .ok_or_else(|| pst_kit::AppError::field("kind", "Jenis harus download atau read."))?;
        // Ranges only for reading sessions: every download request is a new copy, so
        // pieces of two downloads must never be joined.
        let range = (kind == Kind::Read && (r.range_start.is_some() || r.range_end.is_some()))
            .then_some((r.range_start, r.range_end));
        let client = Client {
            ip,
            user_agent: r.user_agent,
        };
        let (head, parts) = self
            .0
            .fetch(
                &caller,
                bearer.as_deref(),
                &r.publication_id,
                kind,
                range,
                client,
            )
            .await?;
        let head = pb::FetchHead {
            download_id: head.download.id.to_string(),
            code: head.download.code,
            total_size: head.total,
            start: head.start,
            end: head.end,
            filename: head.filename,
            etag: head.etag,
            ..pb::FetchHead::default()
        };
        Ok((head, parts))
    }

    /// The rest of a client-streamed PDF (after `first`) into a temporary file.
    async fn receive(
        &self,
        first: pb::UploadChunk,
        stream: Streaming<pb::UploadChunk>,
    ) -> Result<incoming::Received, Status> {
        let rest = stream.map(|r| r.map(|c| c.data));
        Ok(incoming::receive(
            &self.0.incoming_dir,
            &first.filename,
            first.data,
            rest,
            self.0.max_upload_bytes(),
        )
        .await?)
    }
}

#[tonic::async_trait]
impl WatermarkService for WatermarkApi {
    async fn upload_document(&self, req: Request<Streaming<pb::UploadChunk>>) -> R<pb::Document> {
        let caller = self.0.verifier().caller(&req)?;
        let bearer = meta(&req, "authorization");
        let mut stream = req.into_inner();
        let first = first_chunk(&mut stream).await?;
        let (publication, office) = self
            .0
            .authorize_upload(&caller, bearer.as_deref(), &first.publication_id)
            .await?;
        let file = self.receive(first, stream).await?;
        // Storing, recording and linking run to the end even if the client goes away now,
        // so they never stop half-way.
        let svc = Arc::clone(&self.0);
        let (row, duplicate) = tokio::spawn(async move {
            svc.store_upload(&caller, bearer.as_deref(), publication, &office, file)
                .await
        })
        .await
        .map_err(|e| Status::from(pst_kit::AppError::internal(e)))??;
        Ok(Response::new(document(row, duplicate)))
    }

    type FetchStream = BoxStream<'static, Result<pb::FetchChunk, Status>>;

    async fn fetch(&self, req: Request<pb::FetchRequest>) -> R<Self::FetchStream> {
        let (head, parts) = self.issue(req).await?;
        let body = self
            .0
            .storage
            .open_copy(&parts.key, parts.base, parts.appended)
            .await?;
        Ok(Response::new(chunks(head, body)))
    }

    type GrantStream = BoxStream<'static, Result<pb::FetchChunk, Status>>;

    async fn grant(&self, req: Request<pb::FetchRequest>) -> R<Self::GrantStream> {
        let (mut head, parts) = self.issue(req).await?;
        let range = parts.base.unwrap_or(0..0);
        head.object_key = parts.key.to_string();
        head.original_start = range.start;
        head.original_end = range.end;
        // Only the bytes after the base: the gateway reads the base itself.
        let body = self
            .0
            .storage
            .open_copy(&parts.key, None, parts.appended)
            .await?;
        Ok(Response::new(chunks(head, body)))
    }

    async fn verify(&self, req: Request<Streaming<pb::UploadChunk>>) -> R<pb::VerifyResult> {
        let caller = self.0.verifier().caller(&req)?;
        // Before a byte is written to disk.
        crate::service::require_verifier(&caller)?;
        let mut stream = req.into_inner();
        let first = first_chunk(&mut stream).await?;
        let file = self.receive(first, stream).await?;
        let v = self.0.verify(&caller, file).await?;
        Ok(Response::new(pb::VerifyResult {
            verdict: v.verdict.into(),
            detail: v.detail,
            download: v.download.map(download),
        }))
    }

    async fn check_code(&self, req: Request<pb::CheckCodeRequest>) -> R<pb::CodeStatus> {
        let found = self.0.check_code(&req.into_inner().code).await?;
        Ok(Response::new(match found {
            Some(d) => pb::CodeStatus {
                valid: true,
                kind: d.kind,
                publication_title: d.publication_title,
                office_code: d.office_code,
                issued_at: d.issued_at.to_rfc3339(),
            },
            None => pb::CodeStatus::default(),
        }))
    }

    async fn list_my_downloads(
        &self,
        req: Request<pb::ListMyDownloadsRequest>,
    ) -> R<pb::ListDownloadsResponse> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (rows, next) = self.0.my_downloads(&caller, &r.cursor, r.limit).await?;
        Ok(Response::new(pb::ListDownloadsResponse {
            downloads: rows.into_iter().map(download).collect(),
            next_cursor: next,
        }))
    }

    async fn get_session(&self, req: Request<pb::GetSessionRequest>) -> R<pb::Download> {
        let caller = self.0.verifier().caller(&req)?;
        let d = self.0.session(&caller, &req.into_inner().id).await?;
        Ok(Response::new(download(d)))
    }

    async fn get_download_report(
        &self,
        req: Request<pb::DownloadReportRequest>,
    ) -> R<pb::DownloadReport> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let rep = self
            .0
            .download_report(&caller, &r.office_code, &r.from, &r.to)
            .await?;
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Ok(Response::new(pb::DownloadReport {
            office_code: rep.office,
            from: rep.from.to_string(),
            to: rep.to.to_string(),
            total: n(rep.total),
            publications: rep
                .publications
                .into_iter()
                .map(|(id, title, d, u)| pb::DownloadCount {
                    publication_id: id.to_string(),
                    title,
                    downloads: n(d),
                    users: n(u),
                })
                .collect(),
        }))
    }
}
