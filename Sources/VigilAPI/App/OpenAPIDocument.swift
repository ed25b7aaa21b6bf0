import Foundation

/// The specification the server was generated from, shipped as a resource of this target so
/// `GET /openapi.yaml` serves exactly the contract the running binary implements.
enum OpenAPIDocument {
    /// Nil only when the resource bundle was not installed next to the binary (a packaging bug).
    static let bytes: [UInt8]? = Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        .flatMap { try? Data(contentsOf: $0) }
        .map { [UInt8]($0) }
}
