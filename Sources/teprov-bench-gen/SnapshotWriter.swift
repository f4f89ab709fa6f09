/// `snapshot.json`: the ThousandEyes users in teprov's snapshot format (SPEC §9), one SCIM user per
/// line, in ThousandEyes id order. Present people follow their `SnapshotState`; after every
/// `Population.extrasInterval`-th person come one orphan (a managed externalId of a person no longer
/// in the directory) and one unmanaged user (no externalId).
enum SnapshotWriter {
    static let source: StaticString = "https://api.thousandeyes.com/scim/v2"
    static let firstID = 1_000_001

    static func write(_ population: Population, to file: inout OutputFile) {
        var total = 2 * population.extrasPerKind
        for index in 0..<population.users where population.user(index).snapshot != .absent { total += 1 }

        file.write("{\"formatVersion\":1,\"capturedAt\":\"2026-11-29T08:00:00Z\",\"source\":\"")
        file.write(source)
        file.write("\",\"complete\":true,\"totalResults\":")
        file.write(decimal: total)
        file.write(",\"users\":[\n")
        var nextID = firstID
        var first = true
        func separate() {
            if !first { file.write(",\n") }
            first = false
        }
        for index in 0..<population.users {
            let user = population.user(index)
            if user.snapshot != .absent {
                separate()
                writePresent(user, id: nextID, to: &file)
                nextID += 1
            }
            if index % Population.extrasInterval == Population.extrasInterval - 1 {
                let extra = index / Population.extrasInterval
                separate()
                writeExtra(extra, managedBy: population.orphanExternalID(extra), id: nextID, to: &file)
                nextID += 1
                separate()
                writeExtra(extra, managedBy: nil, id: nextID, to: &file)
                nextID += 1
            }
        }
        file.write("\n]}\n")
    }

    private static func writePresent(_ user: GeneratedUser, id: Int, to file: inout OutputFile) {
        let surname = user.snapshot == .renamed ? user.formerSurname : user.surname
        file.write("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"")
        file.write(decimal: id)
        file.write("\",\"externalId\":\"")
        file.write(guid: user.id)
        file.write("\",\"userName\":\"")
        file.writeTargetUserName(user)
        file.write("\",\"name\":{\"givenName\":\"")
        file.write(user.given.display)
        file.write("\",\"familyName\":\"")
        file.write(surname.display)
        file.write("\",\"formatted\":\"")
        file.write(user.given.display)
        file.write(byte: UInt8(ascii: " "))
        file.write(surname.display)
        file.write("\"},\"displayName\":\"")
        file.writeTargetDisplayName(user)
        file.write("\",\"emails\":[{\"value\":\"")
        file.writeTargetUserName(user)
        file.write(
            user.snapshot == .inactive
                ? "\",\"type\":\"work\",\"primary\":true}],\"active\":false,"
                : "\",\"type\":\"work\",\"primary\":true}],\"active\":true,")
        let created = 2190 + user.index % 300
        let modified = user.snapshot == .identical ? created : created + 400
        writeMeta(id: id, createdDay: created, modifiedDay: modified, second: user.createdSecond, to: &file)
    }

    private static func writeExtra(_ extra: Int, managedBy externalID: GUID?, id: Int, to file: inout OutputFile) {
        let prefix: StaticString = externalID == nil ? "local.account" : "former.employee"
        file.write("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"")
        file.write(decimal: id)
        if let externalID {
            file.write("\",\"externalId\":\"")
            file.write(guid: externalID)
        }
        file.write("\",\"userName\":\"")
        file.write(prefix)
        file.write(decimal: extra)
        file.write("@contoso.com\",\"name\":{\"givenName\":\"")
        file.write(externalID == nil ? "Local" : "Former")
        file.write("\",\"familyName\":\"")
        file.write(externalID == nil ? "Account " : "Employee ")
        file.write(decimal: extra)
        file.write("\",\"formatted\":\"")
        file.write(externalID == nil ? "Local Account " : "Former Employee ")
        file.write(decimal: extra)
        file.write("\"},\"displayName\":\"")
        file.write(externalID == nil ? "Local Account " : "Former Employee ")
        file.write(decimal: extra)
        file.write("\",\"emails\":[{\"value\":\"")
        file.write(prefix)
        file.write(decimal: extra)
        file.write("@contoso.com\",\"type\":\"work\",\"primary\":true}],\"active\":true,")
        writeMeta(
            id: id, createdDay: 1500 + extra % 500, modifiedDay: 1500 + extra % 500, second: extra % 86_400,
            to: &file)
    }

    private static func writeMeta(id: Int, createdDay: Int, modifiedDay: Int, second: Int, to file: inout OutputFile) {
        file.write("\"meta\":{\"resourceType\":\"User\",\"created\":\"")
        file.writeISODateTime(day: createdDay, second: second)
        file.write("\",\"lastModified\":\"")
        file.writeISODateTime(day: modifiedDay, second: second)
        file.write("\",\"location\":\"")
        file.write(source)
        file.write("/Users/")
        file.write(decimal: id)
        file.write("\"}}")
    }
}
