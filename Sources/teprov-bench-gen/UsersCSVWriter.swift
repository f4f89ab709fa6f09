/// `users.csv`: the Entra "Download users" file, header variant B (Graph names, 29 columns), UTF-8
/// with BOM, CRLF, `True`/`False`, quotes only where a value needs them (`"Sales, EMEA"`).
enum UsersCSVWriter {
    static let header: StaticString = """
        userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,accountEnabled,\
        usageLocation,streetAddress,state,country,officeLocation,city,postalCode,telephoneNumber,mobilePhone,\
        alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,\
        creationType,directorySynced,invitationState,identityIssuer,createdDateTime
        """

    static func write(_ population: Population, to file: inout OutputFile) {
        file.write(bytes: [0xEF, 0xBB, 0xBF])
        file.write(header)
        file.write("\r\n")
        for index in 0..<population.users {
            let user = population.user(index)
            let site = user.site
            file.writeUserPrincipalName(user)
            file.write(byte: 44)
            file.writeDisplayName(user)
            file.write(byte: 44)
            file.write(user.surname.display)
            file.write(byte: 44)
            if !user.guest { file.writeUserPrincipalName(user) }
            file.write(byte: 44)
            file.write(user.given.display)
            file.write(byte: 44)
            file.write(guid: user.id)
            file.write(user.guest ? ",Guest," : ",Member,")
            file.write(user.jobTitle)
            file.write(byte: 44)
            file.write(csvField: user.department)
            file.write(user.enabled ? ",True," : ",False,")
            file.write(site.usageLocation)
            file.write(byte: 44)
            if !user.guest { file.write(site.street) }
            file.write(byte: 44)
            file.write(site.state)
            file.write(byte: 44)
            file.write(site.country)
            file.write(byte: 44)
            if !user.guest { file.write(site.office) }
            file.write(byte: 44)
            file.write(site.city)
            file.write(byte: 44)
            if !user.guest {
                file.write(site.postalCode)
                file.write(byte: 44)
                if index % 3 == 0 {  // a third of the people have a desk phone on record
                    file.write(site.phonePrefix)
                    file.write(decimal: index % 10_000, width: 4)
                }
            } else {
                file.write(byte: 44)
            }
            file.write(",,")  // mobilePhone, then alternateEmailAddress
            if user.guest { file.writeTargetUserName(user) }
            file.write(",,,,")  // ageGroup, consentProvidedForMinor, legalAgeGroupClassification
            if user.guest {
                file.write("Fabrikam,Invitation,,Accepted,contoso.onmicrosoft.com,")
            } else {
                file.write("Contoso Ltd.,,True,,contoso.onmicrosoft.com,")
            }
            file.writeUSDateTime(day: user.createdDay, second: user.createdSecond)
            file.write("\r\n")
        }
    }
}
