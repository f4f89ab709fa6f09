import Testing

@testable import TeprovCore

@Suite struct SCIMErrorDetailTests {
    private func parse(_ text: String) -> SCIMErrorDetail {
        SCIMErrorDetail.parse(Array(text.utf8))
    }

    @Test func scimErrorWithStringStatus() {
        let detail = parse(
            """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness",
             "detail":"One or more of the attribute values are already in use or are reserved"}
            """)
        #expect(
            detail
                == SCIMErrorDetail(
                    httpStatus: 409, scimType: "uniqueness",
                    detail: "One or more of the attribute values are already in use or are reserved"))
    }

    @Test func scimErrorWithNumericStatusAndNoScimType() {
        let detail = parse(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":412,"detail":"Failed to update"}"#)
        #expect(detail == SCIMErrorDetail(httpStatus: 412, scimType: nil, detail: "Failed to update"))
    }

    @Test func problemJSONWithValidationErrors() {
        let detail = parse(
            """
            {"type":"about:blank","title":"Request validation failed. There are invalid or missing fields","status":400,
             "detail":"Your request object contains invalid fields.","instance":"/v7",
             "errors":[{"code":"AM-5432","field":"firstName","message":"firstName cannot have fancy characters"}]}
            """)
        #expect(detail.httpStatus == 400)
        #expect(detail.scimType == nil)
        #expect(
            detail.detail
                == "Request validation failed. There are invalid or missing fields; Your request object contains invalid fields.; firstName: firstName cannot have fancy characters (AM-5432)"
        )
    }

    @Test func problemJSONWithTitleOnly() {
        let detail = parse(#"{"type":"about:blank","title":"Exhausted rate limit for the organization","status":429}"#)
        #expect(detail == SCIMErrorDetail(httpStatus: 429, detail: "Exhausted rate limit for the organization"))
    }

    @Test func thousandEyesGenericFormWithStringErrors() {
        let detail = parse(
            """
            {"timestamp":1679677853573,"httpStatus":"PRECONDITION_FAILED",
             "errors":["User cannot create more than 5 integrations"],"path":"https://api.thousandeyes.com/v7/stream"}
            """)
        #expect(detail.httpStatus == nil)
        #expect(detail.detail == "User cannot create more than 5 integrations")
    }

    @Test func thousandEyesGenericFormWithObjectErrorsAndNumericStatus() {
        let detail = parse(
            #"{"timestamp":1,"httpStatus":403,"errors":[{"message":"Missing permission","code":"E403"},{"code":"E2"}],"path":"/scim/v2/Users"}"#
        )
        #expect(detail.httpStatus == 403)
        #expect(detail.detail == "Missing permission (E403); E2")
    }

    @Test func thousandEyesGenericFormWithoutErrorsNamesTheStatus() {
        let detail = parse(#"{"timestamp":1,"httpStatus":"FORBIDDEN","errors":[],"path":"/scim/v2/Users"}"#)
        #expect(detail.detail == "FORBIDDEN")
    }

    @Test func oauthStyleError() {
        let detail = parse(#"{"error":"invalid_token","error_description":"Invalid access token"}"#)
        #expect(detail == SCIMErrorDetail(detail: "invalid_token: Invalid access token"))
    }

    @Test func multiLineDetailIsFoldedToOneLine() {
        let detail = parse(#"{"status":"400","scimType":"invalidValue","detail":"bad\n  value\tthere"}"#)
        #expect(detail.detail == "bad value there")
    }

    @Test(arguments: [
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "Service Unavailable",
        "{\"status\": \"500\", \"detail\":",  // truncated JSON
        "{\"unrelated\": true}",
        "[1, 2, 3]",
    ])
    func anythingElseGivesTheBodyText(body: String) {
        let detail = parse(body)
        #expect(detail.httpStatus == nil)
        #expect(detail.scimType == nil)
        #expect(detail.detail == body)
    }

    @Test func longUnstructuredBodiesKeepTheFirst200Characters() {
        let body = String(repeating: "x", count: 150) + " " + String(repeating: "y", count: 300)
        let detail = parse(body)
        #expect(detail.detail?.count == 200)
        #expect(detail.detail?.hasPrefix(String(repeating: "x", count: 150) + " y") == true)
    }

    @Test func emptyAndBinaryBodiesNeverCrash() {
        #expect(SCIMErrorDetail.parse([]) == SCIMErrorDetail())
        #expect(SCIMErrorDetail.parse(Array("   \n".utf8)) == SCIMErrorDetail())
        let binary = SCIMErrorDetail.parse([0xFF, 0xFE, 0x00, 0x7B, 0xC3])
        #expect(binary.httpStatus == nil)
        #expect(binary.detail != nil)
    }

    @Test func outOfRangeStatusIsIgnored() {
        #expect(parse(#"{"status":"abc","detail":"x"}"#).httpStatus == nil)
        #expect(parse(#"{"status":42,"detail":"x"}"#).httpStatus == nil)
    }
}
