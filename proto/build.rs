//! Compiles every contract under `pst/` with the vendored protoc and writes one descriptor
//! set that all services serve through gRPC reflection.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "pst/common/v1/common.proto",
    "pst/identity/v1/identity.proto",
    "pst/visit/v1/visit.proto",
    "pst/feedback/v1/feedback.proto",
    "pst/catalogue/v1/catalogue.proto",
    "pst/watermark/v1/watermark.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc);
    // Document bytes move as `Bytes`: slices of the received buffers, not copies.
    config.bytes([
        ".pst.watermark.v1.UploadChunk.data",
        ".pst.watermark.v1.FetchChunk.data",
    ]);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("pst_descriptor.bin"))
        .compile_with_config(config, PROTOS, &["."])?;
    Ok(())
}
