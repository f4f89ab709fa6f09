/// `users.dsml.xml`: a DSML v2 `batchResponse` (prefixed `dsml:`) as an AD search returns it, with
/// `objectGUID` in base64 (Microsoft byte order) and `userAccountControl` 512/514.
enum UsersDSMLWriter {
    static func write(_ population: Population, to file: inout OutputFile) {
        file.write(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <dsml:batchResponse xmlns:dsml="urn:oasis:names:tc:DSML:2:0:core" \
            xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <dsml:searchResponse requestID="contoso-users">

            """)
        for index in 0..<population.users {
            let user = population.user(index)
            file.write("<dsml:searchResultEntry dn=\"CN=")
            file.writeDisplayName(user)
            file.write(
                user.guest
                    ? ",OU=Guests,OU=Contoso,DC=contoso,DC=com\">\n" : ",OU=Staff,OU=Contoso,DC=contoso,DC=com\">\n")
            file.write(
                """
                  <dsml:attr name="objectClass"><dsml:value>top</dsml:value><dsml:value>person</dsml:value>\
                <dsml:value>organizationalPerson</dsml:value><dsml:value>user</dsml:value></dsml:attr>
                  <dsml:attr name="cn"><dsml:value>
                """)
            file.writeDisplayName(user)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"sn\"><dsml:value>")
            file.write(user.surname.display)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"givenName\"><dsml:value>")
            file.write(user.given.display)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"displayName\"><dsml:value>")
            file.writeDisplayName(user)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"title\"><dsml:value>")
            file.write(user.jobTitle)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"department\"><dsml:value>")
            file.write(xmlText: user.department)
            if !user.guest {
                file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"mail\"><dsml:value>")
                file.writeUserPrincipalName(user)
            }
            file.write(
                "</dsml:value></dsml:attr>\n  <dsml:attr name=\"objectGUID\"><dsml:value xsi:type=\"xsd:base64Binary\">"
            )
            file.write(bytes: Base64.encode(user.id.microsoftByteOrder))
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"sAMAccountName\"><dsml:value>u")
            file.write(decimal: user.index, width: 8)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"userPrincipalName\"><dsml:value>")
            file.writeUserPrincipalName(user)
            file.write("</dsml:value></dsml:attr>\n  <dsml:attr name=\"userAccountControl\"><dsml:value>")
            file.write(user.enabled ? "512" : "514")
            file.write("</dsml:value></dsml:attr>\n</dsml:searchResultEntry>\n")
        }
        file.write(
            """
            <dsml:searchResultDone><dsml:resultCode code="0" descr="success"/></dsml:searchResultDone>
            </dsml:searchResponse>
            </dsml:batchResponse>

            """)
    }
}
