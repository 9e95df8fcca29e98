//! Request fields from any body encoding the vendor APIs' clients use:
//! multipart/form-data, application/x-www-form-urlencoded or a JSON object
//! (numbers and booleans taken as their text).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::{Form, Json};
use serde_json::Value;
use std::collections::BTreeMap;

/// Whether the body is multipart/form-data (the one encoding the IVR takes).
pub fn is_multipart(req: &Request) -> bool {
    content_type(req).starts_with("multipart/form-data")
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The fields by name (the last of repeated names wins). An unreadable body
/// is an error.
pub async fn read_fields(req: Request) -> Result<BTreeMap<String, String>, String> {
    let content_type = content_type(&req);
    if is_multipart(&req) {
        let mut form = Multipart::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        let mut fields = BTreeMap::new();
        while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
            let name = field.name().unwrap_or_default().to_owned();
            // A file part (an uploaded voice file) counts by its file name.
            let value = match field.file_name().map(str::to_owned) {
                Some(f) => f,
                None => field.text().await.map_err(|e| e.body_text())?,
            };
            fields.insert(name, value);
        }
        Ok(fields)
    } else if content_type.starts_with("application/json") {
        let Json(v) = Json::<BTreeMap<String, Value>>::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        Ok(v.into_iter()
            .filter_map(|(k, v)| proto::lenient::value_to_string(&v).map(|s| (k, s)))
            .collect())
    } else {
        let Form(v) = Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        Ok(v.into_iter().collect())
    }
}
