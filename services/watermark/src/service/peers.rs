//! Calls to the other services on the caller's behalf: the publication from the catalogue.
use uuid::Uuid;

use pst_kit::AppError;

use super::*;

impl Watermark {
    pub(crate) async fn publication(
        &self,
        bearer: Option<&str>,
        id: Uuid,
    ) -> Result<pst_proto::catalogue::Publication, AppError> {
        let req = with_bearer(
            pst_proto::catalogue::GetPublicationRequest { id: id.to_string() },
            bearer,
        );
        Ok(self
            .catalogue
            .clone()
            .get_publication(req)
            .await
            .map_err(|s| pst_kit::grpc::peer_error(&CATALOGUE, s))?
            .into_inner())
    }
}
