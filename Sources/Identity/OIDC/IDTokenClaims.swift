import Foundation
import JWTKit

/// The ID token claims the login needs (OpenID Connect Core §2), checked beyond the signature:
/// expiry here, issuer, audience and nonce by ``UpstreamOIDC``.
struct IDTokenClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var nonce: String?
    var email: String?
    var emailVerified: BoolClaim?
    var name: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nonce, email, name
        case emailVerified = "email_verified"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-60))
    }
}
