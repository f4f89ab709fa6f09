/// `users.json`: Graph `GET /users?$select=...&$top=999` pages merged in one file as an array of
/// pages; every page but the last carries `@odata.nextLink`. One user object per line.
enum UsersJSONWriter {
    static let pageSize = 999
    static let select: StaticString = """
        id,userPrincipalName,displayName,givenName,surname,mail,jobTitle,department,accountEnabled,userType,\
        usageLocation,officeLocation,city,country,createdDateTime
        """

    static func write(_ population: Population, to file: inout OutputFile) {
        let pageCount = max(1, (population.users + pageSize - 1) / pageSize)
        file.write("[\n")
        for page in 0..<pageCount {
            file.write("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users(")
            file.write(select)
            file.write(")\",\"value\":[\n")
            let start = page * pageSize
            let end = min(population.users, start + pageSize)
            for index in start..<end {
                if index > start { file.write(",\n") }
                writeUser(population.user(index), to: &file)
            }
            file.write("\n]")
            if page + 1 < pageCount {
                file.write(",\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/users?$select=")
                file.write(select)
                file.write("&$top=999&$skiptoken=RFNwdAIAAQAAABc6")
                file.write(decimal: page + 1, width: 8)
                file.write("\"}")
                file.write(",\n")
            } else {
                file.write("}\n")
            }
        }
        file.write("]\n")
    }

    private static func writeUser(_ user: GeneratedUser, to file: inout OutputFile) {
        file.write("{\"id\":\"")
        file.write(guid: user.id)
        file.write("\",\"userPrincipalName\":\"")
        file.writeUserPrincipalName(user)
        file.write("\",\"displayName\":\"")
        file.writeDisplayName(user)
        file.write("\",\"givenName\":\"")
        file.write(user.given.display)
        file.write("\",\"surname\":\"")
        file.write(user.surname.display)
        if user.guest {
            file.write("\",\"mail\":null,\"jobTitle\":\"")
        } else {
            file.write("\",\"mail\":\"")
            file.writeUserPrincipalName(user)
            file.write("\",\"jobTitle\":\"")
        }
        file.write(user.jobTitle)
        file.write("\",\"department\":")
        file.write(jsonString: user.department)
        file.write(user.enabled ? ",\"accountEnabled\":true" : ",\"accountEnabled\":false")
        file.write(
            user.guest
                ? ",\"userType\":\"Guest\",\"usageLocation\":\"" : ",\"userType\":\"Member\",\"usageLocation\":\"")
        file.write(user.site.usageLocation)
        if user.guest {
            file.write("\",\"officeLocation\":null,\"city\":\"")
        } else {
            file.write("\",\"officeLocation\":\"")
            file.write(user.site.office)
            file.write("\",\"city\":\"")
        }
        file.write(user.site.city)
        file.write("\",\"country\":\"")
        file.write(user.site.country)
        file.write("\",\"createdDateTime\":\"")
        file.writeISODateTime(day: user.createdDay, second: user.createdSecond)
        file.write("\"}")
    }
}
