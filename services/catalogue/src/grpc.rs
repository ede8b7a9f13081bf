//! The wire edge: `pst.catalogue.v1.CatalogueService` ⇄ the use cases in `service`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use pst_proto::catalogue as pb;
use pst_proto::catalogue::catalogue_service_server::CatalogueService;

use crate::domain::publication::Input;
use crate::service::{Catalogue, Query};
use crate::store::{HoldingRow, PublicationRow};

#[derive(Debug, Clone)]
pub struct CatalogueApi(pub Arc<Catalogue>);

type R<T> = Result<Response<T>, Status>;

fn input(p: pb::PublicationInput) -> Input {
    Input {
        office_code: p.office_code,
        title: p.title,
        subtitle: p.subtitle,
        catalogue_number: p.catalogue_number,
        publication_number: p.publication_number,
        issn: p.issn,
        isbn: p.isbn,
        release_date: p.release_date,
        year_from: p.year_from,
        year_to: p.year_to,
        subject: p.subject,
        language: p.language,
        pages: p.pages,
        abstract_text: p.r#abstract,
        keywords: p.keywords,
        cover_url: p.cover_url,
        document_id: p.document_id,
        access_level: p.access_level,
    }
}

fn publication(r: PublicationRow, holdings: Vec<HoldingRow>) -> pb::Publication {
    let year = |y: Option<i32>| y.and_then(|y| u32::try_from(y).ok()).unwrap_or(0);
    pb::Publication {
        id: r.id.to_string(),
        subject_group: r.subject_group,
        has_digital: r.document_id.is_some(),
        has_printed: r.has_printed,
        withdrawn: r.withdrawn_at.is_some(),
        withdrawn_reason: r.withdrawn_reason,
        holdings: holdings
            .into_iter()
            .map(|h| pb::Holding {
                id: h.id.to_string(),
                office_code: h.office_code,
                call_number: h.call_number,
                shelf: h.shelf,
                copies: u32::try_from(h.copies).unwrap_or(0),
                condition: h.condition,
            })
            .collect(),
        created_at: r.created_at.to_rfc3339(),
        updated_at: r.updated_at.to_rfc3339(),
        fields: Some(pb::PublicationInput {
            office_code: r.office_code,
            title: r.title,
            subtitle: r.subtitle,
            catalogue_number: r.catalogue_number,
            publication_number: r.publication_number,
            issn: r.issn,
            isbn: r.isbn,
            release_date: r.release_date.map(|d| d.to_string()).unwrap_or_default(),
            year_from: year(r.year_from),
            year_to: year(r.year_to),
            subject: r.subject,
            language: r.language,
            pages: u32::try_from(r.pages).unwrap_or(0),
            r#abstract: r.abstract_text,
            keywords: r.keywords,
            cover_url: r.cover_url,
            document_id: r.document_id.map(|d| d.to_string()).unwrap_or_default(),
            access_level: r.access_level,
        }),
    }
}

fn facet(v: Vec<(String, i64)>) -> Vec<pb::FacetValue> {
    v.into_iter()
        .map(|(value, n)| pb::FacetValue {
            value,
            count: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect()
}

#[tonic::async_trait]
impl CatalogueService for CatalogueApi {
    async fn search(&self, req: Request<pb::SearchRequest>) -> R<pb::SearchResponse> {
        let caller = self.0.verifier().optional_caller(&req)?;
        let r = req.into_inner();
        let q = Query {
            q: r.q,
            office: r.office_code,
            subject: r.subject,
            year_from: r.year_from,
            year_to: r.year_to,
            language: r.language,
            has_digital: r.has_digital,
            has_printed: r.has_printed,
            cursor: r.cursor,
            limit: r.limit,
            include_withdrawn: r.include_withdrawn,
        };
        let res = self.0.search(caller.as_ref(), &q).await?;
        Ok(Response::new(pb::SearchResponse {
            hits: res
                .hits
                .into_iter()
                .map(|h| pb::Hit {
                    snippet: h.snippet,
                    score: h.score,
                    publication: Some(publication(h.row, Vec::new())),
                })
                .collect(),
            facets: Some(pb::Facets {
                subject: facet(res.facets.subject),
                office: facet(res.facets.office),
                year: facet(res.facets.year),
                language: facet(res.facets.language),
            }),
            next_cursor: res.next_cursor,
            total: u32::try_from(res.total).unwrap_or(u32::MAX),
            total_is_estimate: res.total_is_estimate,
            corrected_query: res.corrected,
        }))
    }

    async fn get_publication(&self, req: Request<pb::GetPublicationRequest>) -> R<pb::Publication> {
        let caller = self.0.verifier().optional_caller(&req)?;
        let (row, holdings) = self.0.get(caller.as_ref(), &req.into_inner().id).await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn create_publication(&self, req: Request<pb::PublicationInput>) -> R<pb::Publication> {
        let caller = self.0.verifier().caller(&req)?;
        let (row, holdings) = self.0.create(&caller, &input(req.into_inner())).await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn update_publication(
        &self,
        req: Request<pb::UpdatePublicationRequest>,
    ) -> R<pb::Publication> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (row, holdings) = self
            .0
            .update(
                &caller,
                &r.id,
                &input(r.publication.unwrap_or_default()),
                &r.expected_updated_at,
            )
            .await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn link_document(&self, req: Request<pb::LinkDocumentRequest>) -> R<pb::Publication> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (row, holdings) = self
            .0
            .link_document(&caller, &r.publication_id, &r.document_id)
            .await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn withdraw_publication(&self, req: Request<pb::WithdrawRequest>) -> R<pb::Publication> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (row, holdings) = self.0.withdraw(&caller, &r.id, &r.reason).await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn add_holding(&self, req: Request<pb::HoldingInput>) -> R<pb::Publication> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (row, holdings) = self
            .0
            .add_holding(
                &caller,
                &r.publication_id,
                &r.call_number,
                &r.shelf,
                r.copies,
                &r.condition,
            )
            .await?;
        Ok(Response::new(publication(row, holdings)))
    }

    async fn record_reading_room_use(
        &self,
        req: Request<pb::ReadingRoomUseInput>,
    ) -> R<pb::ReadingRoomUse> {
        let caller = self.0.verifier().caller(&req)?;
        let bearer = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let r = req.into_inner();
        let (id, self_service, at) = self
            .0
            .reading_room_use(
                &caller,
                bearer.as_deref(),
                &r.publication_id,
                &r.office_code,
                &r.visit_id,
            )
            .await?;
        Ok(Response::new(pb::ReadingRoomUse {
            id: id.to_string(),
            publication_id: r.publication_id,
            office_code: r.office_code,
            used_at: at.to_rfc3339(),
            self_service,
        }))
    }

    async fn import_publications(&self, req: Request<pb::ImportRequest>) -> R<pb::ImportResult> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (imported, errors) = self.0.import(&caller, &r.csv, r.partial, r.dry_run).await?;
        Ok(Response::new(pb::ImportResult {
            imported: u32::try_from(imported).unwrap_or(u32::MAX),
            errors: errors
                .into_iter()
                .map(|(row, field, message)| pb::RowError {
                    row,
                    field,
                    message,
                })
                .collect(),
        }))
    }

    async fn export_publications(&self, req: Request<pb::ExportRequest>) -> R<pb::ExportResult> {
        let caller = self.0.verifier().caller(&req)?;
        let (csv, rows) = self
            .0
            .export(&caller, &req.into_inner().office_code)
            .await?;
        Ok(Response::new(pb::ExportResult {
            csv,
            rows: u32::try_from(rows).unwrap_or(u32::MAX),
        }))
    }

    async fn get_publication_history(
        &self,
        req: Request<pb::GetPublicationRequest>,
    ) -> R<pb::PublicationHistory> {
        let caller = self.0.verifier().caller(&req)?;
        let entries = self.0.history(&caller, &req.into_inner().id).await?;
        Ok(Response::new(pb::PublicationHistory {
            entries: entries
                .into_iter()
                .map(|e| pb::HistoryEntry {
                    at: e.at.to_rfc3339(),
                    actor_id: e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                    action: e.action,
                    changed: e.changed,
                })
                .collect(),
        }))
    }

    async fn get_reading_room_report(
        &self,
        req: Request<pb::PeriodRequest>,
    ) -> R<pb::ReadingRoomReport> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let (office, from, to, rows) = self
            .0
            .reading_room_report(&caller, &r.office_code, &r.from, &r.to)
            .await?;
        Ok(Response::new(pb::ReadingRoomReport {
            office_code: office,
            from: from.to_string(),
            to: to.to_string(),
            total: u32::try_from(rows.iter().map(|r| r.2).sum::<i64>()).unwrap_or(u32::MAX),
            publications: rows
                .into_iter()
                .map(|(id, title, n)| pb::UsageRow {
                    publication_id: id.to_string(),
                    title,
                    uses: u32::try_from(n).unwrap_or(0),
                })
                .collect(),
        }))
    }
}
