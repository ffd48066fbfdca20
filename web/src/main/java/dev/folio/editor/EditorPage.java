package dev.folio.editor;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves the editor at {@code /documents/{id}}: every document has its own address (one to share,
 * bookmark and reload) while the page itself is the one static file; its script reads the id from
 * the address.
 */
@WebServlet("/documents/*")
public class EditorPage extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        response.setHeader("Cache-Control", "no-cache");
        request.getRequestDispatcher("/editor.html").forward(request, response);
    }
}
