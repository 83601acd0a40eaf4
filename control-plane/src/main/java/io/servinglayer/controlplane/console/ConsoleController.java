package io.servinglayer.controlplane.console;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the console's entry page at {@code /admin} and {@code /admin/}. */
@Controller
@Hidden
class ConsoleController {

	@GetMapping({ "/admin", "/admin/" })
	String console() {
		return "forward:/admin/index.html";
	}

}
