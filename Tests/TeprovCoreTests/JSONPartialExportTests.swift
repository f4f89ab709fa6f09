import Testing

@testable import TeprovCore

/// SPEC §2: a file that holds only some pages of a collection is refused (exit 4), never read as
/// a smaller directory.
@Suite struct JSONPartialExportTests {
    @Test(arguments: [
        (
            "a single page with a next link",
            "{\n\"@odata.nextLink\": \"https://graph.microsoft.com/v1.0/users?$skiptoken=X\",\n\"value\": [{\"id\": \"1\"}]\n}",
            "the last Graph page in the file has an @odata.nextLink, so the export is partial", 2
        ),
        (
            "the next link after the value array",
            "{\"value\": [{\"id\": \"1\"}],\n\"@odata.nextLink\": \"https://x/2\"}",
            "the last Graph page in the file has an @odata.nextLink", 2
        ),
        (
            "the last of several pages has a next link",
            "[{\"@odata.nextLink\": \"https://x/2\", \"value\": [{\"id\": \"1\"}]},\n {\"@odata.nextLink\": \"https://x/3\", \"value\": [{\"id\": \"2\"}]}]",
            "the last Graph page in the file has an @odata.nextLink", 2
        ),
        (
            "json lines whose last page has a next link",
            "{\"value\": [{\"id\": \"1\"}]}\n{\"value\": [{\"id\": \"2\"}], \"@odata.nextLink\": \"https://x/3\"}\n",
            "the export is partial", 2
        ),
        (
            "an @odata.count above the users read",
            "{\"@odata.count\": 3,\n\"value\": [{\"id\": \"1\"}, {\"id\": \"2\"}]}",
            "@odata.count says the collection has 3 entries but the file holds 2, so the export is partial", 1
        ),
        (
            "a ListResponse with fewer resources than totalResults",
            "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\n\"totalResults\": 100,\n\"itemsPerPage\": 1, \"startIndex\": 1,\n\"Resources\": [{\"id\": \"1\"}]}",
            "the SCIM ListResponse says totalResults is 100 but the file holds 1 resources, so the export is partial", 2
        ),
        (
            "ListResponse pages summing below totalResults",
            "[{\"totalResults\": 5, \"Resources\": [{\"id\": \"1\"}, {\"id\": \"2\"}]},\n{\"totalResults\": 5, \"Resources\": [{\"id\": \"3\"}]}]",
            "totalResults is 5 but the file holds 3 resources", 1
        ),
        (
            "an empty ListResponse that announces results",
            "{\"totalresults\": 2}",
            "totalResults is 2 but the file holds 0 resources", 1
        ),
    ])
    func refusesPartialExports(name: String, text: String, message: String, line: Int) {
        for chunkSize in JSONTestInput.chunkSizes {
            let error = JSONTestInput.error(text, chunkSize: chunkSize)
            #expect(error?.code == .input, "\(name)")
            #expect(error?.exitCode == 4)
            #expect(error?.message.contains(message) == true, "\(name): \(error?.message ?? "no error")")
            #expect(error?.message.contains("export all pages") == true)
            #expect(error?.line == line, "\(name)")
        }
    }

    @Test(arguments: [
        (
            "pages whose next links are all followed",
            "[{\"@odata.nextLink\": \"https://x/2\", \"value\": [{\"id\": \"1\"}]}, {\"value\": [{\"id\": \"2\"}]}]", 2
        ),
        ("a null next link", "{\"@odata.nextLink\": null, \"value\": [{\"id\": \"1\"}]}", 1),
        (
            "a delta link ends the last page",
            "{\"@odata.deltaLink\": \"https://x/delta\", \"value\": [{\"id\": \"1\"}]}", 1
        ),
        (
            "an @odata.count equal to the users read across pages",
            "[{\"@odata.count\": 2, \"@odata.nextLink\": \"https://x/2\", \"value\": [{\"id\": \"1\"}]}, {\"value\": [{\"id\": \"2\"}]}]",
            2
        ),
        (
            "ListResponse pages adding up to totalResults",
            "[{\"totalResults\": 3, \"Resources\": [{\"id\": \"1\"}, {\"id\": \"2\"}]}, {\"totalResults\": 3, \"Resources\": [{\"id\": \"3\"}]}]",
            3
        ),
        (
            "a ListResponse with more resources than totalResults",
            "{\"totalResults\": 1, \"Resources\": [{\"id\": \"1\"}, {\"id\": \"2\"}]}", 2
        ),
    ])
    func acceptsCompleteExports(name: String, text: String, records: Int) throws {
        let result = try JSONTestInput.read(text)
        #expect(result.records.count == records, "\(name)")
    }
}
